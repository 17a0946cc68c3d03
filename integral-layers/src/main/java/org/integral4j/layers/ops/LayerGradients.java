package org.integral4j.layers.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradients of one dense or convolution backward pass ({@link DenseOps#backward},
 * {@link ConvOps#backward}).
 *
 * @param weight {@code dL/dW}, in the weight's shape
 * @param bias   {@code dL/db} {@code (out)}, or null for a layer without bias
 * @param input  {@code dL/dx}, in the input's shape, or null when it was not asked for
 */
public record LayerGradients(INDArray weight, INDArray bias, INDArray input) {
}
