/**
 * Quadrature rules on {@code [-1, 1]}, each named for what it is: trapezoidal (any grid),
 * rectangle rules (left, right, midpoint), Simpson (uniform grids with an odd count),
 * Gauss-Legendre (its own nodes only), and {@link org.integral4j.quadrature.Integration} for
 * N-dimensional integrals.
 */
package org.integral4j.quadrature;
