package org.integral4j.layers.ops;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.integral4j.util.DirectAccess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float32 batch-norm kernels of {@link BatchNormOps} on the CPU backend, in Java, reading and
 * writing ND4J's native memory in place (no copies). They replace libnd4j's {@code mean} +
 * {@code Variance} reductions and its {@code batchnorm_bp}, whose oneDNN wrapper spends most of its
 * time outside the oneDNN primitive (layout reorders and a correction computed with generic array
 * ops): on a ResNet-18 training step (batch 16, 64x64) the two took 80-90 ms of a 440 ms step, the
 * oneDNN primitives inside them 7 ms.
 *
 * <p>An input of shape {@code (d0, ..., d_{a-1}, C, d_{a+1}, ...)} with the channel axis {@code a}
 * is viewed as {@code (outer, C, inner)}: {@code outer = d0 * ... * d_{a-1}},
 * {@code inner = d_{a+1} * ...}; element {@code (o, c, s)} sits at {@code (o * C + c) * inner + s}.
 * NCHW has {@code inner = h * w}, NHWC and {@code (batch, C)} have {@code inner = 1}. Per-channel
 * sums run in float over one row of {@code inner} elements and in double across rows.
 */
final class BatchNormKernels {

    /** Below this many elements one thread does the work (forking costs more than it saves). */
    private static final long PARALLEL_MIN = 1 << 15;

    private BatchNormKernels() {
    }

    /** An array viewed as {@code (outer, channels, inner)}. */
    record Layout(int outer, int channels, int inner) {

        static Layout of(INDArray x, int channelAxis) {
            long outer = 1;
            for (int i = 0; i < channelAxis; i++) {
                outer *= x.size(i);
            }
            long inner = 1;
            for (int i = channelAxis + 1; i < x.rank(); i++) {
                inner *= x.size(i);
            }
            return new Layout((int) outer, (int) x.size(channelAxis), (int) inner);
        }

        /** Elements per channel (the batch statistics' count). */
        long count() {
            return (long) outer * inner;
        }

        long length() {
            return count() * channels;
        }
    }

    /**
     * Whether the kernels apply: FLOAT arrays in the CPU backend's host memory, one contiguous 'c'
     * block each ({@link DirectAccess#isDirect}).
     */
    static boolean applies(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !DirectAccess.isDirect(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per-channel mean and biased variance, two passes: {@code mean[c] = sum x / count},
     * {@code var[c] = sum (x - mean[c])^2 / count}.
     *
     * @param x    the input (not modified)
     * @param l    its layout
     * @param mean receives the means, {@code (C)} (modified)
     * @param var  receives the variances, {@code (C)} (modified)
     */
    static void meanAndVariance(FloatBuffer x, Layout l, double[] mean, double[] var) {
        double[] sum = channelSums(x, null, null, l);
        for (int c = 0; c < l.channels(); c++) {
            mean[c] = sum[c] / l.count();
        }
        double[] sq = channelSums(x, null, mean, l);
        for (int c = 0; c < l.channels(); c++) {
            var[c] = sq[c] / l.count();
        }
    }

    /**
     * The two sums of the backward pass: {@code sumDy[c] = sum dy},
     * {@code sumDyCentered[c] = sum dy (x - mean[c])}.
     *
     * @param x             the forward input (not modified)
     * @param dy            {@code dL/dy} (not modified)
     * @param mean          the batch means (not modified)
     * @param l             the layout of both
     * @param sumDy         receives {@code sum dy}, {@code (C)} (modified)
     * @param sumDyCentered receives {@code sum dy (x - mean)}, {@code (C)} (modified)
     */
    static void gradientSums(FloatBuffer x, FloatBuffer dy, double[] mean, Layout l, double[] sumDy,
                             double[] sumDyCentered) {
        System.arraycopy(channelSums(dy, null, null, l), 0, sumDy, 0, l.channels());
        System.arraycopy(channelSums(x, dy, mean, l), 0, sumDyCentered, 0, l.channels());
    }

    /**
     * Per-channel sums of one of three integrands: {@code a} (when {@code b} and {@code center}
     * are null), {@code (a - center)^2} (when only {@code b} is null), {@code b (a - center)}.
     */
    private static double[] channelSums(FloatBuffer a, FloatBuffer b, double[] center, Layout l) {
        int channels = l.channels();
        int inner = l.inner();
        boolean parallel = l.length() >= PARALLEL_MIN;
        if (inner > 1) {
            double[] out = new double[channels];
            IntStream cs = IntStream.range(0, channels);
            (parallel ? cs.parallel() : cs).forEach(c -> {
                float m = center == null ? 0f : (float) center[c];
                double total = 0;
                for (int o = 0; o < l.outer(); o++) {
                    int base = (o * channels + c) * inner;
                    float row = 0f;
                    if (center == null) {
                        for (int s = 0; s < inner; s++) {
                            row += a.get(base + s);
                        }
                    } else if (b == null) {
                        for (int s = 0; s < inner; s++) {
                            float d = a.get(base + s) - m;
                            row += d * d;
                        }
                    } else {
                        for (int s = 0; s < inner; s++) {
                            row += b.get(base + s) * (a.get(base + s) - m);
                        }
                    }
                    total += row;
                }
                out[c] = total;
            });
            return out;
        }
        // inner == 1: a row per outer index runs across the channels; blocks of rows, summed after.
        int blocks = parallel ? Math.min(Runtime.getRuntime().availableProcessors(), l.outer()) : 1;
        double[][] partial = new double[blocks][channels];
        IntStream bs = IntStream.range(0, blocks);
        (blocks > 1 ? bs.parallel() : bs).forEach(k -> {
            double[] acc = partial[k];
            int o0 = (int) ((long) l.outer() * k / blocks);
            int o1 = (int) ((long) l.outer() * (k + 1) / blocks);
            for (int o = o0; o < o1; o++) {
                int base = o * channels;
                for (int c = 0; c < channels; c++) {
                    float v = a.get(base + c);
                    if (center == null) {
                        acc[c] += v;
                    } else {
                        float d = v - (float) center[c];
                        acc[c] += b == null ? d * d : b.get(base + c) * d;
                    }
                }
            }
        });
        double[] out = partial[0];
        for (int k = 1; k < blocks; k++) {
            for (int c = 0; c < channels; c++) {
                out[c] += partial[k][c];
            }
        }
        return out;
    }

    /**
     * The elementwise pass of both directions:
     * {@code out[o, c, s] = p[c] u[o, c, s] + q[c] (v[o, c, s] - m[c]) + r[c]} ({@code p u} left
     * out when {@code u} is null).
     *
     * @param u   first operand, or null (not modified)
     * @param v   second operand (not modified)
     * @param p   factor of u per channel, unused when u is null (not modified)
     * @param q   factor of the centred v per channel (not modified)
     * @param m   centre of v per channel (not modified)
     * @param r   constant per channel (not modified)
     * @param l   the layout of u, v and out
     * @param out receives the result; may be neither u nor v (modified)
     */
    static void combine(FloatBuffer u, FloatBuffer v, float[] p, float[] q, float[] m, float[] r, Layout l,
                        FloatBuffer out) {
        int channels = l.channels();
        int inner = l.inner();
        int outer = l.outer();
        int n = l.length() >= PARALLEL_MIN ? Math.min(outer, Runtime.getRuntime().availableProcessors() * 4) : 1;
        IntStream ps = IntStream.range(0, n);
        (n > 1 ? ps.parallel() : ps).forEach(k -> {
            int o0 = (int) ((long) outer * k / n);
            int o1 = (int) ((long) outer * (k + 1) / n);
            for (int o = o0; o < o1; o++) {
                for (int c = 0; c < channels; c++) {
                    float pc = p == null ? 0f : p[c];
                    float qc = q[c];
                    float mc = m[c];
                    float rc = r[c];
                    int base = (o * channels + c) * inner;
                    if (u == null) {
                        for (int s = base; s < base + inner; s++) {
                            out.put(s, qc * (v.get(s) - mc) + rc);
                        }
                    } else {
                        for (int s = base; s < base + inner; s++) {
                            out.put(s, pc * u.get(s) + qc * (v.get(s) - mc) + rc);
                        }
                    }
                }
            }
        });
    }
}
