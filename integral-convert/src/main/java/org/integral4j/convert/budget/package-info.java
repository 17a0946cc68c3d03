/**
 * Sizes chosen for a budget: a size per channel group that keeps the resized network's output
 * closest to the full network's within a fraction of the full network's MACs or parameters
 * ({@link org.integral4j.convert.IntegralModel#resizeToBudget}).
 */
package org.integral4j.convert.budget;
