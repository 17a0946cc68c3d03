/**
 * Converting trained DL4J networks into Integral Neural Networks and back:
 * {@link org.integral4j.convert.IntegralWrapper} (analysis, batch-norm folding, TSP permutation,
 * right-inverse initialisation) produces an {@link org.integral4j.convert.IntegralModel} (resize,
 * random-width training, grid tuning, metrics, export to plain DL4J networks, save/load);
 * {@link org.integral4j.convert.L1ChannelPruner} is the paper's baseline.
 */
package org.integral4j.convert;
