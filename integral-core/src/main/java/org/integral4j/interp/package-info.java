/**
 * Cubic-convolution interpolation: the kernel with PyTorch's constants
 * ({@link org.integral4j.interp.CubicConvolution}) and sparse interpolation matrices with their
 * derivative with respect to the sample points
 * ({@link org.integral4j.interp.InterpolationMatrix}).
 */
package org.integral4j.interp;
