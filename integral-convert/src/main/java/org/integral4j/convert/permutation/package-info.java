/**
 * Channel permutation: reorder the channels of a group so that its weights vary smoothly along
 * the channel axis before they are turned into continuous (integral) weights.
 *
 * <p>A <em>group</em> is a list of {@link org.integral4j.convert.permutation.ChannelSlices}: the
 * tensors whose channels must be reordered together (e.g. the out-channels of a conv
 * {@code W: (out*, in, kH, kW)}, axis 0, and the in-channels of the next conv
 * {@code W: (out, in*, kH, kW)}, axis 1). The pipeline is
 * <ol>
 *   <li>{@link org.integral4j.convert.permutation.DistanceMatrix#fromSlices}: the mean absolute
 *       difference between channel rows, summed over the group's tensors;</li>
 *   <li>{@link org.integral4j.convert.permutation.TspSolver#solve}: a short open path through the
 *       channels (iterated 2-opt/Or-opt local search, never worse than the current order);</li>
 *   <li>{@link org.integral4j.convert.permutation.ChannelPermutation#apply}: new tensors with the
 *       channels reordered; {@link org.integral4j.convert.permutation.TotalVariation} measures the
 *       result.</li>
 * </ol>
 * Semantics follow TorchIntegral (commit 84c5e89, {@code permutation.py} and
 * {@code tsp_solver/solver.pyx}); its 2-opt defects (double-counted edge in the move gain, fixed
 * end cities, identity never a candidate, O(n) length recomputation per move) are not reproduced.
 * Everything here depends on nd4j-api only and never modifies its input arrays.
 */
package org.integral4j.convert.permutation;
