/**
 * Weight functions: weights represented by knot tensors ({@code lambda}) sampled on grids by
 * cubic convolution and scaled by quadrature weights
 * ({@link org.integral4j.function.WeightFunction}), with their right inverse and backward pass.
 */
package org.integral4j.function;
