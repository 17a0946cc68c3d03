package org.integral4j.layers.ops;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation of libnd4j's {@code conv2d_bp} a backward pass asks for: the oneDNN platform
 * helper (the default) or libnd4j's own im2col + GEMM.
 *
 * <p>Why: for 3x3, stride-1 convolutions with many channels on small feature maps, oneDNN 2.3
 * (inside ND4J 1.0.0-M2.1) picks its Winograd implementation for the weight gradient on CPUs with
 * AVX-512, and that is many times slower than libnd4j's own path. Measured on the 2-core AVX-512
 * development machine, float32, batch 16 (ms per {@code conv2d_bp}, oneDNN / im2col + GEMM):
 * 512 channels at 2x2 161.7 / 8.4, at 4x4 171.1 / 42.0; 256 at 4x4 44.9 / 11.0; 224 at 4x4
 * 38.7 / 14.8; but 192 at 4x4 2.1 / 12.5, 128 at 8x8 3.7 / 21.3 and 64 at 32x32 6.1 / 549; at
 * batch 64, 256 at 8x8 162 / 578. In ResNet-18 at 64x64 the six 3x3 convolutions of its last two
 * stages took 624 of the 866 ms that oneDNN spent in one training step. Random-width training
 * meets every channel count, and oneDNN's choice is not monotone in them (224 x 224 at 4x4 ran a
 * fast kernel, 208 x 239 the slow one), so the rule was set on fresh random shapes
 * ({@code ConvBackwardPathBenchmark} in the benchmarks module: mean ms per call, oneDNN / im2col +
 * GEMM / this rule): channels 128-256 at 2x2 19.2 / 5.7 / 5.3, 256-512 at 2x2 129 / 11.5 / 11.4,
 * 128-256 at 4x4 22.5 / 20.9 / 21.6, 96-224 at 4x4 10.1 / 17.8 / 10.4, 64-128 at 8x8 4.8 / 22.7 / 4.8.
 * The weight-gradient path is libnd4j's own for float32 on an AVX-512 CPU, a 3x3 kernel with stride
 * and dilation 1, one group, at least {@value #MIN_CHANNELS} input and output channels and at most
 * {@value #MAX_OUTPUT_POSITIONS} output positions (H' x W'); on maps of more than
 * {@value #SMALL_MAP_POSITIONS} positions the larger channel count must also reach
 * {@value #MIN_LARGER_CHANNELS}. Both paths compute the same gradients (relative difference about
 * 1e-7 in float32). Outside that range and in double precision (which oneDNN does not take)
 * nothing changes.
 *
 * <p>The system property {@value #PROPERTY} overrides the rule: {@code onednn} (always the helper),
 * {@code generic} (never), {@code auto} (the rule, the default).
 */
final class ConvBackwardPath {

    /** The system property that overrides the rule. */
    static final String PROPERTY = "integral4j.conv.backward";
    /** Fewest input and output channels for libnd4j's own path. */
    static final long MIN_CHANNELS = 128;
    /** Fewest channels on the larger side (input or output) for libnd4j's own path on maps above {@link #SMALL_MAP_POSITIONS}. */
    static final long MIN_LARGER_CHANNELS = 208;
    /** Most output positions {@code H' x W'} for libnd4j's own path. */
    static final long MAX_OUTPUT_POSITIONS = 16;
    /** Up to this many output positions (2x2) libnd4j's own path needs only {@link #MIN_CHANNELS}. */
    static final long SMALL_MAP_POSITIONS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ConvBackwardPath.class);
    private static volatile Boolean avx512;

    private ConvBackwardPath() {
    }

    /**
     * Whether the oneDNN helper may run this backward pass.
     *
     * @param geo    the geometry
     * @param groups the groups
     * @param in     input channels
     * @param out    output channels
     * @param outH   output height
     * @param outW   output width
     * @param type   the data type
     * @return false when libnd4j's own im2col + GEMM should run it
     */
    static boolean allowOneDnn(ConvGeometry geo, int groups, long in, long out, long outH, long outW,
                               DataType type) {
        String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "onednn":
                return true;
            case "generic":
                return false;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("System property " + PROPERTY + " must be auto, onednn or generic, got '"
                        + mode + "'.");
        }
        return !(inSlowOneDnnRange(geo, groups, in, out, outH, outW, type) && hasAvx512());
    }

    /**
     * The problems where oneDNN's weight gradient was slow on an AVX-512 CPU (see the class comment).
     *
     * @param geo    the geometry
     * @param groups the groups
     * @param in     input channels
     * @param out    output channels
     * @param outH   output height
     * @param outW   output width
     * @param type   the data type
     * @return whether the problem is in that range
     */
    static boolean inSlowOneDnnRange(ConvGeometry geo, int groups, long in, long out, long outH, long outW,
                                     DataType type) {
        long positions = outH * outW;
        return type == DataType.FLOAT && groups == 1 && geo.isUnitStride3x3() && Math.min(in, out) >= MIN_CHANNELS
                && positions <= MAX_OUTPUT_POSITIONS
                && (positions <= SMALL_MAP_POSITIONS || Math.max(in, out) >= MIN_LARGER_CHANNELS);
    }

    /** Whether libnd4j reports an AVX-512 CPU (its optimal binary level 3), checked once. */
    private static boolean hasAvx512() {
        Boolean v = avx512;
        if (v == null) {
            try {
                v = NativeOpsHolder.getInstance().getDeviceNativeOps().optimalLevel() >= 3;
            } catch (RuntimeException | LinkageError e) {
                v = false;
            }
            avx512 = v;
            LOG.debug("AVX-512 CPU: {} (conv2d_bp rule of ConvBackwardPath)", v);
        }
        return v;
    }
}
