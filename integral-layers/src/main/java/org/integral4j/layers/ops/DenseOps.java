package org.integral4j.layers.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The affine map of a dense layer and its backward pass, as pure functions on ND4J arrays.
 * Shapes use the canonical layout: {@code x: (batch, in*)}, {@code W: (out*, in*)},
 * {@code b: (out*)}, {@code z: (batch, out*)}; {@code *} marks axes whose length follows a grid.
 */
public final class DenseOps {

    private DenseOps() {
    }

    /**
     * {@code z = x W^T + b}.
     *
     * @param x input {@code (batch, in)} (not modified)
     * @param w weight {@code (out, in)} (not modified)
     * @param b bias {@code (out)}, or null (not modified)
     * @return a new {@code (batch, out)} array
     */
    public static INDArray forward(INDArray x, INDArray w, INDArray b) {
        INDArray z = x.mmul(w.transpose());
        if (b != null) {
            z.addiRowVector(b.reshape(1, b.length()));
        }
        return z;
    }

    /**
     * The backward pass of {@link #forward}.
     *
     * @param x         input {@code (batch, in)} (not modified)
     * @param w         weight {@code (out, in)} (not modified)
     * @param dz        {@code dL/dz}, {@code (batch, out)} (not modified)
     * @param needInput whether to compute {@code dL/dx} (skip it for the first layer)
     * @return {@code dW (out, in)}, {@code db (out)}, {@code dx (batch, in)} or null
     */
    public static LayerGradients backward(INDArray x, INDArray w, INDArray dz, boolean needInput) {
        INDArray dw = dz.transpose().mmul(x);
        INDArray db = dz.sum(0);
        INDArray dx = needInput ? dz.mmul(w) : null;
        return new LayerGradients(dw, db, dx);
    }
}
