package org.integral4j.layers.conf;

/**
 * Which parameters of an integral layer receive no updates. Grid tuning (TorchIntegral's
 * {@code grid_tuning}) trains only the grid points: {@link #ALL}, or {@link #WEIGHTS} to also train
 * biases and batch-norm scale and shift. Batch-norm running statistics are always updated in
 * training mode.
 */
public enum Freeze {
    /** Every parameter trains. */
    NONE,
    /** Weights are frozen; biases and batch-norm scale and shift train. */
    WEIGHTS,
    /** Every parameter is frozen. */
    ALL
}
