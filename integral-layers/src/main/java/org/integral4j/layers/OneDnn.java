package org.integral4j.layers;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches on DL4J's oneDNN helpers for its own layers ({@code ConvolutionLayer},
 * {@code SubsamplingLayer}, {@code BatchNormalization}) in DL4J 1.0.0-M2.1, where they are
 * disabled by default and, even when enabled, fail a renamed-class check (the shim
 * {@code org.nd4j.nativeblas.Nd4jCpu} in this jar fixes that). Integral layers call libnd4j's ops
 * directly and do not need it; plain DL4J networks, including the smaller networks Integral4J
 * exports, do.
 *
 * <p>Call it before building ({@code init()}), restoring or cloning a network: DL4J reads the
 * switch when a layer is constructed. Helpers only run in float32.
 */
public final class OneDnn {

    /** The system property DL4J reads; "false" enables the helpers. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);

    private OneDnn() {
    }

    /**
     * Enables the helpers for networks built from now on.
     *
     * @return whether oneDNN is available to them (false on a backend without oneDNN)
     */
    public static boolean enableForDl4jLayers() {
        System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        boolean enabled = BaseMKLDNNHelper.mklDnnEnabled();
        if (enabled) {
            LOG.info("oneDNN helpers enabled for DL4J's own layers");
        } else {
            LOG.warn("oneDNN helpers unavailable: the ND4J backend has no oneDNN (use the nd4j-native classifier "
                    + "linux-x86_64-onednn-avx2); DL4J's convolution layers run their slow built-in path");
        }
        return enabled;
    }

    /**
     * Whether DL4J's own layers built now would use oneDNN.
     *
     * @return true when the switch is on and oneDNN is available
     */
    public static boolean isActive() {
        return "false".equals(System.getProperty(HELPERS_DISABLE_PROPERTY)) && BaseMKLDNNHelper.mklDnnEnabled();
    }
}
