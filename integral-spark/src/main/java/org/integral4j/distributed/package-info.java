/**
 * Training integral networks on several workers: what every worker needs to train its own copy of
 * an integral network at its own random widths while DL4J averages the knot tensors λ (whose
 * shapes do not depend on the width).
 * <ul>
 *   <li>{@link org.integral4j.distributed.ChannelGroupsSnapshot}: a serialisable copy of a model's
 *       channel groups, restored on each worker with its own seed;</li>
 *   <li>{@link org.integral4j.distributed.WorkerGroups}: binds a worker's network copy to restored
 *       groups and draws the widths of each step ({@link org.integral4j.distributed.WidthDraw});</li>
 *   <li>{@link org.integral4j.distributed.WidthSampling}, {@link org.integral4j.distributed.Width},
 *       {@link org.integral4j.distributed.WidthEvaluation}: training-width distributions, evaluation
 *       widths and results.</li>
 * </ul>
 * Spark lives in {@link org.integral4j.distributed.spark}, DL4J's {@code ParallelWrapper} in
 * {@link org.integral4j.distributed.parallel}.
 */
package org.integral4j.distributed;
