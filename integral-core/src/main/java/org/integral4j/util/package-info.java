/**
 * Shared helpers: argument checks with uniform messages and bulk conversion between
 * {@link org.nd4j.linalg.api.ndarray.INDArray} and Java arrays.
 */
package org.integral4j.util;
