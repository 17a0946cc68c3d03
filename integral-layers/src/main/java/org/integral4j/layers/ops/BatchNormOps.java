package org.integral4j.layers.ops;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.integral4j.util.Checks;
import org.integral4j.util.DirectAccess;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over a channel axis (Ioffe and Szegedy 2015), as pure functions:
 * <pre>
 *   y = gamma * (x - mean) / std + beta,     std = sqrt(var + eps)
 * </pre>
 * with batch statistics in training (biased variance) and given statistics in inference.
 *
 * <p>Layouts: {@code x: (batch, channels*)} (channel axis 1), {@code x: (batch, channels*, h, w)}
 * (NCHW, channel axis 1) or {@code x: (batch, h, w, channels*)} (NHWC, channel axis 3). Statistics
 * are reduced over every other axis; {@code gamma}, {@code beta}, {@code mean}, {@code std} are
 * {@code (channels)} and broadcast along the channel axis. The methods without a
 * {@code channelAxis} argument use axis 1.
 */
public final class BatchNormOps {

    /** The channel axis of {@code (batch, channels)} and NCHW input. */
    public static final int CHANNEL_AXIS = 1;
    /** The channel axis of NHWC input. */
    public static final int CHANNEL_AXIS_NHWC = 3;

    /**
     * System property: {@code false} sends float32 training passes to libnd4j's ops instead of
     * {@link BatchNormKernels} (for comparisons; read on every call).
     */
    public static final String JAVA_KERNELS_PROPERTY = "integral4j.batchnorm.javaKernels";

    private BatchNormOps() {
    }

    /**
     * The output of a training step and the batch statistics its backward pass needs (small arrays:
     * the normalised input is recomputed in {@link #backward}).
     */
    public static final class Cache {
        /** The output y, shape of x. */
        public final INDArray output;
        /** {@code 1 / sqrt(var + eps)}, {@code (channels)}. */
        public final INDArray invStd;
        /** Batch mean, {@code (channels)}. */
        public final INDArray mean;
        /** Batch variance (biased), {@code (channels)}. */
        public final INDArray var;

        Cache(INDArray output, INDArray invStd, INDArray mean, INDArray var) {
            this.output = output;
            this.invStd = invStd;
            this.mean = mean;
            this.var = var;
        }
    }

    /**
     * The axes reduced for per-channel statistics with the channel axis 1.
     *
     * @param x input of rank 2 or 4
     * @return {0} or {0, 2, 3}
     */
    public static int[] reductionAxes(INDArray x) {
        return reductionAxes(x, CHANNEL_AXIS);
    }

    /**
     * The axes reduced for per-channel statistics: all but the channel axis.
     *
     * @param x           input of rank 2 or 4
     * @param channelAxis 1 (rank 2, or rank 4 NCHW) or 3 (rank 4 NHWC)
     * @return {0}, {0, 2, 3} or {0, 1, 2}
     */
    public static int[] reductionAxes(INDArray x, int channelAxis) {
        requireChannelAxis(x, channelAxis);
        if (x.rank() == 2) {
            return new int[] {0};
        }
        return channelAxis == CHANNEL_AXIS ? new int[] {0, 2, 3} : new int[] {0, 1, 2};
    }

    private static void requireChannelAxis(INDArray x, int channelAxis) {
        Checks.require(x.rank() == 2 || x.rank() == 4, "BatchNormOps",
                "input must be (batch, channels), (batch, channels, h, w) or (batch, h, w, channels); got shape %s.",
                Arrays.toString(x.shape()));
        Checks.require(channelAxis == CHANNEL_AXIS || (x.rank() == 4 && channelAxis == CHANNEL_AXIS_NHWC),
                "BatchNormOps", "channel axis %d is not valid for input of shape %s: use 1 for (batch, channels) and "
                        + "NCHW input, 3 for NHWC input.", channelAxis, Arrays.toString(x.shape()));
    }

    /**
     * Training forward pass with batch statistics on the channel axis 1.
     *
     * @param x     input (not modified)
     * @param gamma scale {@code (channels)} (not modified)
     * @param beta  shift {@code (channels)} (not modified)
     * @param eps   variance epsilon
     * @return the output (a new array) with the batch statistics and what backward needs
     */
    public static Cache forwardTraining(INDArray x, INDArray gamma, INDArray beta, double eps) {
        return forwardTraining(x, gamma, beta, eps, CHANNEL_AXIS);
    }

    /**
     * Training forward pass with batch statistics.
     *
     * @param x           input (not modified)
     * @param gamma       scale {@code (channels)} (not modified)
     * @param beta        shift {@code (channels)} (not modified)
     * @param eps         variance epsilon
     * @param channelAxis 1 (rank 2, or NCHW) or 3 (NHWC)
     * @return the output (a new array) with the batch statistics and what backward needs
     */
    public static Cache forwardTraining(INDArray x, INDArray gamma, INDArray beta, double eps, int channelAxis) {
        int[] axes = reductionAxes(x, channelAxis);
        if (useJavaKernels(x)) {
            INDArray xc = contiguous(x);
            if (BatchNormKernels.applies(xc)) {
                return forwardTrainingJava(xc, gamma, beta, eps, channelAxis);
            }
        }
        if (useLibnd4j(x)) {
            return forwardTrainingLibnd4j(x, gamma, beta, eps, channelAxis, axes);
        }
        INDArray mean = x.mean(axes);
        INDArray centered = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, centered, channelAxis));
        INDArray var = centered.mul(centered).mean(axes);
        INDArray invStd = Transforms.pow(var.add(eps), -0.5, false);
        INDArray xHat = centered;
        Nd4j.getExecutioner().exec(new BroadcastMulOp(centered, invStd, xHat, channelAxis));
        return new Cache(affine(xHat, gamma, beta, channelAxis), invStd, mean, var);
    }

    /** {@link #forwardTraining} with {@link BatchNormKernels} (float32, CPU backend). */
    private static Cache forwardTrainingJava(INDArray x, INDArray gamma, INDArray beta, double eps, int channelAxis) {
        BatchNormKernels.Layout l = BatchNormKernels.Layout.of(x, channelAxis);
        int channels = l.channels();
        double[] mean = new double[channels];
        double[] var = new double[channels];
        FloatBuffer xs = DirectAccess.floatView(x);
        BatchNormKernels.meanAndVariance(xs, l, mean, var);
        float[] g = gamma.toFloatVector();
        float[] b = beta.toFloatVector();
        float[] meanF = new float[channels];
        float[] varF = new float[channels];
        float[] invStd = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            double inv = 1.0 / Math.sqrt(var[c] + eps);
            meanF[c] = (float) mean[c];
            varF[c] = (float) var[c];
            invStd[c] = (float) inv;
            scale[c] = (float) (g[c] * inv);
        }
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        BatchNormKernels.combine(null, xs, null, scale, meanF, b, l, DirectAccess.floatView(y));
        return new Cache(y, Nd4j.createFromArray(invStd), Nd4j.createFromArray(meanF), Nd4j.createFromArray(varF));
    }

    /** {@link #forwardTraining} with libnd4j's ops (float types). */
    private static Cache forwardTrainingLibnd4j(INDArray x, INDArray gamma, INDArray beta, double eps, int channelAxis,
                                                int[] axes) {
        INDArray xc = contiguous(x);
        INDArray mean = xc.mean(axes);
        INDArray var = Nd4j.createUninitialized(x.dataType(), new long[] {x.size(channelAxis)}, 'c');
        Nd4j.exec(new Variance(xc, var, false, axes));
        INDArray invStd = Transforms.pow(var.add(eps), -0.5, false);
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        batchnorm(xc, mean, var, gamma, beta, eps, channelAxis, y);
        return new Cache(y, invStd, mean, var);
    }

    /**
     * Whether the fused libnd4j ops are used: for float32 (and other non-double types), where they
     * run on oneDNN (about 6x faster than the chain of broadcast ops, measured under load on a
     * (32, 64, 16, 16) activation: 46 ms against 273 ms for forward and backward). In double the
     * explicit formulas are kept: libnd4j's generic {@code batchnorm_bp} loses precision on small
     * batches (relative errors up to 2e-8 on a (3, 5) input), too much for central-difference
     * gradient checks; the float path is checked against the double one instead.
     */
    private static boolean useLibnd4j(INDArray x) {
        return x.dataType() != DataType.DOUBLE;
    }

    /**
     * Whether {@link BatchNormKernels} compute the training passes: float32 on the CPU backend
     * (contiguous copies are made where needed), unless {@value #JAVA_KERNELS_PROPERTY} is
     * {@code false}. They are several times faster there than libnd4j's reductions and
     * {@code batchnorm_bp} (see that class); the libnd4j path stays for other backends and float
     * types. Both are checked against the double path.
     */
    private static boolean useJavaKernels(INDArray x) {
        return x.dataType() == DataType.FLOAT
                && !"false".equalsIgnoreCase(System.getProperty(JAVA_KERNELS_PROPERTY));
    }

    /**
     * Inference forward pass with given statistics on the channel axis 1.
     *
     * @param x     input (not modified)
     * @param gamma scale {@code (channels)}
     * @param beta  shift {@code (channels)}
     * @param mean  mean {@code (channels)}
     * @param std   standard deviation {@code sqrt(var + eps)}, {@code (channels)}
     * @return a new array
     */
    public static INDArray forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray std) {
        return forwardInference(x, gamma, beta, mean, std, CHANNEL_AXIS);
    }

    /**
     * Inference forward pass with given statistics.
     *
     * @param x           input (not modified)
     * @param gamma       scale {@code (channels)}
     * @param beta        shift {@code (channels)}
     * @param mean        mean {@code (channels)}
     * @param std         standard deviation {@code sqrt(var + eps)}, {@code (channels)}
     * @param channelAxis 1 (rank 2, or NCHW) or 3 (NHWC)
     * @return a new array
     */
    public static INDArray forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray std,
                                            int channelAxis) {
        requireChannelAxis(x, channelAxis);
        if (useLibnd4j(x)) {
            // batchnorm divides by sqrt(var + eps): pass var = std^2 and eps = 0.
            INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            batchnorm(contiguous(x), mean, std.mul(std), gamma, beta, 0.0, channelAxis, y);
            return y;
        }
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        return affine(x, scale, shift, channelAxis);
    }

    private static INDArray affine(INDArray x, INDArray scale, INDArray shift, int channelAxis) {
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, scale, y, channelAxis));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(y, shift, y, channelAxis));
        return y;
    }

    /**
     * libnd4j's {@code batchnorm} op (oneDNN in float32 on the -onednn builds, about 6x faster than
     * a chain of broadcast ops): {@code y = gamma (x - mean) / sqrt(var + eps) + beta} on the channel axis.
     */
    private static void batchnorm(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps,
                                  int channelAxis, INDArray y) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, vector(mean), vector(var), vector(gamma), vector(beta))
                .addOutputs(y)
                .addIntegerArguments(1, 1, channelAxis)
                .addFloatingPointArguments(eps)
                .build());
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }

    /** The array itself when it is one 'c'-ordered block with default strides, else a 'c' copy. */
    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    /**
     * Backward pass of {@link #forwardTraining(INDArray, INDArray, INDArray, double)} on the
     * channel axis 1.
     *
     * @param x      the forward pass's input (not modified)
     * @param dy     {@code dL/dy}, shape of x (not modified)
     * @param gamma  scale (not modified)
     * @param mean   batch mean from the forward pass
     * @param invStd {@code 1 / sqrt(var + eps)} from the forward pass
     * @return {@code dx}, {@code dgamma (channels)}, {@code dbeta (channels)}
     */
    public static Gradients backward(INDArray x, INDArray dy, INDArray gamma, INDArray mean, INDArray invStd) {
        return backward(x, dy, gamma, mean, invStd, CHANNEL_AXIS);
    }

    /**
     * Backward pass of {@link #forwardTraining(INDArray, INDArray, INDArray, double, int)}:
     * {@code dx = gamma invStd (dy - mean(dy) - xHat mean(dy xHat))},
     * {@code dgamma = sum(dy xHat)}, {@code dbeta = sum(dy)}, means and sums over all axes but the
     * channel axis.
     *
     * @param x           the forward pass's input (not modified)
     * @param dy          {@code dL/dy}, shape of x (not modified)
     * @param gamma       scale (not modified)
     * @param mean        batch mean from the forward pass
     * @param invStd      {@code 1 / sqrt(var + eps)} from the forward pass
     * @param channelAxis 1 (rank 2, or NCHW) or 3 (NHWC), as in the forward pass
     * @return {@code dx}, {@code dgamma (channels)}, {@code dbeta (channels)}
     */
    public static Gradients backward(INDArray x, INDArray dy, INDArray gamma, INDArray mean, INDArray invStd,
                                      int channelAxis) {
        int[] axes = reductionAxes(dy, channelAxis);
        Checks.requireShape("BatchNormOps", "dy", x.shape(), dy.shape(), "dy must have the shape of the input x.");
        if (useJavaKernels(x)) {
            INDArray xc = contiguous(x);
            INDArray dyc = contiguous(dy);
            if (BatchNormKernels.applies(xc, dyc)) {
                return backwardJava(xc, dyc, gamma, mean, invStd, channelAxis);
            }
        }
        if (useLibnd4j(x)) {
            return backwardLibnd4j(x, dy, gamma, mean, invStd, channelAxis);
        }
        long count = dy.length() / dy.size(channelAxis);
        INDArray xHat = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, xHat, channelAxis));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xHat, invStd, xHat, channelAxis));
        INDArray dBeta = dy.sum(axes);
        INDArray dGamma = dy.mul(xHat).sum(axes);
        // dx = gamma * invStd * (dy - dBeta / count - xHat * dGamma / count)
        INDArray dx = xHat;
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dx, dGamma.div(-count), dx, channelAxis));
        dx.addi(dy);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(dx, dBeta.div(count), dx, channelAxis));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dx, gamma.mul(invStd), dx, channelAxis));
        return new Gradients(dx, dGamma, dBeta);
    }

    /**
     * The gradients of one batch-norm backward pass.
     *
     * @param input {@code dL/dx}, in the input's shape
     * @param gamma {@code dL/dgamma (channels)}
     * @param beta  {@code dL/dbeta (channels)}
     */
    public record Gradients(INDArray input, INDArray gamma, INDArray beta) {
    }

    /**
     * {@link #backward} with {@link BatchNormKernels}: the per-channel sums {@code sum dy} and
     * {@code sum dy (x - mean)}, then {@code dx = k dy + q (x - mean) + r} with
     * {@code k = gamma invStd}, {@code q = -k invStd dgamma / count}, {@code r = -k dbeta / count}.
     */
    private static Gradients backwardJava(INDArray x, INDArray dy, INDArray gamma, INDArray mean, INDArray invStd,
                                          int channelAxis) {
        BatchNormKernels.Layout l = BatchNormKernels.Layout.of(x, channelAxis);
        int channels = l.channels();
        double count = l.count();
        double[] mu = mean.toDoubleVector();
        double[] inv = invStd.toDoubleVector();
        double[] g = gamma.toDoubleVector();
        double[] sumDy = new double[channels];
        double[] sumDyCentered = new double[channels];
        FloatBuffer xs = DirectAccess.floatView(x);
        FloatBuffer dys = DirectAccess.floatView(dy);
        BatchNormKernels.gradientSums(xs, dys, mu, l, sumDy, sumDyCentered);
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        float[] p = new float[channels];
        float[] q = new float[channels];
        float[] m = new float[channels];
        float[] r = new float[channels];
        for (int c = 0; c < channels; c++) {
            double dg = inv[c] * sumDyCentered[c];
            double k = g[c] * inv[c];
            dGamma[c] = (float) dg;
            dBeta[c] = (float) sumDy[c];
            p[c] = (float) k;
            q[c] = (float) (-k * inv[c] * dg / count);
            m[c] = (float) mu[c];
            r[c] = (float) (-k * sumDy[c] / count);
        }
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        BatchNormKernels.combine(dys, xs, p, q, m, r, l, DirectAccess.floatView(dx));
        return new Gradients(dx, Nd4j.createFromArray(dGamma), Nd4j.createFromArray(dBeta));
    }

    /** {@link #backward} with libnd4j's {@code batchnorm_bp} (the full training gradient, float types). */
    private static Gradients backwardLibnd4j(INDArray x, INDArray dy, INDArray gamma, INDArray mean, INDArray invStd,
                                              int channelAxis) {
        // batchnorm_bp divides by sqrt(var + eps): pass var = invStd^-2 and eps = 0.
        INDArray var = Transforms.pow(invStd, -2.0, true);
        long channels = x.size(channelAxis);
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        INDArray dMean = Nd4j.createUninitialized(x.dataType(), new long[] {channels}, 'c');
        INDArray dVar = Nd4j.createUninitialized(x.dataType(), new long[] {channels}, 'c');
        INDArray dGamma = Nd4j.createUninitialized(x.dataType(), new long[] {channels}, 'c');
        INDArray dBeta = Nd4j.createUninitialized(x.dataType(), new long[] {channels}, 'c');
        INDArray beta = Nd4j.zeros(x.dataType(), channels);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(contiguous(x), vector(mean), vector(var), vector(gamma), beta, contiguous(dy))
                .addOutputs(dx, dMean, dVar, dGamma, dBeta)
                .addIntegerArguments(1, 1, channelAxis)
                .addFloatingPointArguments(0.0)
                .build());
        return new Gradients(dx, dGamma, dBeta);
    }
}
