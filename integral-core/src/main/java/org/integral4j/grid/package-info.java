/**
 * Grids on the continuous domain {@code [-1, 1]}: fixed ({@link org.integral4j.grid.Grid1D}),
 * random-size ({@link org.integral4j.grid.RandomSizeGrid} with a
 * {@link org.integral4j.grid.SizeDistribution}), trainable
 * ({@link org.integral4j.grid.TrainableGrid}), composite
 * ({@link org.integral4j.grid.CompositeGrid}) and N-dimensional products
 * ({@link org.integral4j.grid.ProductGrid}).
 */
package org.integral4j.grid;
