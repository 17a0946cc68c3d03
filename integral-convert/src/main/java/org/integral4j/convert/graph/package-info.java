/**
 * Reading DL4J networks and finding their channel groups.
 *
 * <ul>
 *   <li>{@link org.integral4j.convert.graph.ModelView}: a uniform, read-only view of an initialised
 *       {@code MultiLayerNetwork} or {@code ComputationGraph} (nodes in topological order, their
 *       configurations, preprocessors, inputs, parameter keys, shapes and copies, output types).</li>
 *   <li>{@link org.integral4j.convert.graph.ChannelGroupAnalyzer}: groups the parameter axes whose
 *       channels must be resampled and permuted together (conv/dense outputs with every axis that
 *       reads them, batch norms, residual ties, concatenations as composite groups, flattens into
 *       dense layers as channel blocks or interleaved channels), decides which groups stay discrete
 *       ({@link org.integral4j.convert.graph.AnalysisOptions}), and checks channel counts.</li>
 *   <li>{@link org.integral4j.convert.graph.ChannelGroupAnalysis}: the immutable result, made of
 *       {@link org.integral4j.convert.graph.ChannelGroupSpec}s whose
 *       {@link org.integral4j.convert.graph.GroupMember}s give each axis in DL4J's parameter layout
 *       and convert to {@link org.integral4j.convert.permutation.ChannelSlices} for permutation.</li>
 * </ul>
 *
 * <p>Compared with TorchIntegral (commit 84c5e89), which traces a forward pass: batch norms join
 * their group, concatenations keep their link to the consumer, flattens of spatial maps and
 * depthwise convolutions are modelled, and anything the analysis does not understand is an error
 * (or, on request, kept discrete) rather than silently mis-grouped.
 */
package org.integral4j.convert.graph;
