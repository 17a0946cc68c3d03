package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim that lets DL4J 1.0.0-M2.1's own layers use oneDNN.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up, by
 * reflection, {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. In
 * M2.1 that class moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}
 * and the method became {@code isUseONEDNN()}, so the check always fails and
 * {@code ConvolutionLayer}, {@code SubsamplingLayer} and {@code BatchNormalization} run their slow
 * built-in Java paths (about 6x slower training, 9x slower inference on a small CNN; see
 * docs/ARCHITECTURE.md, "DL4J 1.0.0-M2.1 quirks"). This class supplies the old name and delegates by reflection; it answers false on a
 * backend without oneDNN. Use {@link org.integral4j.layers.OneDnn#enableForDl4jLayers()} to switch
 * the helpers on.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old environment class name that DL4J M2.1 looks up. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private static final String REAL = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        /**
         * The singleton DL4J asks for.
         *
         * @return the instance
         */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether the loaded native library uses oneDNN.
         *
         * @return {@code isUseONEDNN()} of the real environment, or false when it is unavailable
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> c = Class.forName(REAL, true, Nd4jCpu.class.getClassLoader());
                Object env = c.getMethod("getInstance").invoke(null);
                Method m = c.getMethod("isUseONEDNN");
                return (Boolean) m.invoke(env);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return false;
            }
        }
    }
}
