package org.integral4j.layers.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the channel axis 1 of {@code x: (batch, channels*)} or
 * {@code x: (batch, channels*, h, w)} (Ioffe and Szegedy 2015), as pure functions:
 * <pre>
 *   y = gamma * (x - mean) / std + beta,     std = sqrt(var + eps)
 * </pre>
 * with batch statistics in training (biased variance) and given statistics in inference.
 */
public final class BatchNormOps {

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
     * The axes reduced for per-channel statistics.
     *
     * @param x input of rank 2 or 4
     * @return {0} or {0, 2, 3}
     */
    public static int[] reductionAxes(INDArray x) {
        return x.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
    }

    /**
     * Training forward pass with batch statistics.
     *
     * @param x     input (not modified)
     * @param gamma scale {@code (channels)} (not modified)
     * @param beta  shift {@code (channels)} (not modified)
     * @param eps   variance epsilon
     * @return the output (a new array) with the batch statistics and what backward needs
     */
    public static Cache forwardTraining(INDArray x, INDArray gamma, INDArray beta, double eps) {
        int[] axes = reductionAxes(x);
        INDArray mean = x.mean(axes);
        INDArray centered = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, centered, 1));
        INDArray var = centered.mul(centered).mean(axes);
        INDArray invStd = Transforms.pow(var.add(eps), -0.5, false);
        INDArray xHat = centered;
        Nd4j.getExecutioner().exec(new BroadcastMulOp(centered, invStd, xHat, 1));
        return new Cache(affine(xHat, gamma, beta), invStd, mean, var);
    }

    /**
     * Inference forward pass with given statistics.
     *
     * @param x     input (not modified)
     * @param gamma scale {@code (channels)}
     * @param beta  shift {@code (channels)}
     * @param mean  mean {@code (channels)}
     * @param std   standard deviation {@code sqrt(var + eps)}, {@code (channels)}
     * @return a new array
     */
    public static INDArray forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray std) {
        INDArray scale = gamma.div(std);
        INDArray shift = beta.sub(mean.mul(scale));
        return affine(x, scale, shift);
    }

    private static INDArray affine(INDArray x, INDArray scale, INDArray shift) {
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, scale, y, 1));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(y, shift, y, 1));
        return y;
    }

    /**
     * Backward pass of {@link #forwardTraining}:
     * {@code dx = gamma invStd (dy - mean(dy) - xHat mean(dy xHat))},
     * {@code dgamma = sum(dy xHat)}, {@code dbeta = sum(dy)}.
     *
     * @param x      the forward pass's input (not modified)
     * @param dy     {@code dL/dy}, shape of x (not modified)
     * @param gamma  scale (not modified)
     * @param mean   batch mean from the forward pass
     * @param invStd {@code 1 / sqrt(var + eps)} from the forward pass
     * @return {@code dx}, {@code dgamma (channels)}, {@code dbeta (channels)}
     */
    public static INDArray[] backward(INDArray x, INDArray dy, INDArray gamma, INDArray mean, INDArray invStd) {
        int[] axes = reductionAxes(dy);
        long count = dy.length() / dy.size(1);
        INDArray xHat = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, xHat, 1));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xHat, invStd, xHat, 1));
        INDArray dBeta = dy.sum(axes);
        INDArray dGamma = dy.mul(xHat).sum(axes);
        // dx = gamma * invStd * (dy - dBeta / count - xHat * dGamma / count)
        INDArray dx = xHat;
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dx, dGamma.div(-count), dx, 1));
        dx.addi(dy);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(dx, dBeta.div(count), dx, 1));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dx, gamma.mul(invStd), dx, 1));
        return new INDArray[] {dx, dGamma, dBeta};
    }
}
