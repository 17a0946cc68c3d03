package org.integral4j.convert.graph;

import org.integral4j.convert.kinds.ChannelRule;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.integral4j.util.Checks;

/**
 * Finds the channel groups of a network: the sets of parameter axes whose channels must be
 * resampled (and permuted) together.
 *
 * <h2>Rules</h2>
 * Nodes are visited in topological order; each node's output is a <em>flow</em>: a group, the
 * number of axis indices per channel and their order (see {@link GroupMember}).
 * <ul>
 *   <li>A layer does what its kind's {@link ChannelRule} in the
 *       {@link AnalysisOptions#layerRegistry() registry} says: <b>new groups</b> from weights
 *       ({@link ChannelRule.Weighted}: convolutions, dense and output layers; their input axes join
 *       the input's group), <b>per-channel parameters</b> on the input's group
 *       ({@link ChannelRule.PerChannel}: batch norms; {@link ChannelRule.Depthwise}: depthwise
 *       convolutions, whose output keeps the group with {@code m} indices per channel),
 *       <b>pass-through</b> ({@link ChannelRule.PassThrough}: activation, pooling, padding, dropout,
 *       loss layers), <b>channels kept</b> ({@link ChannelRule.FixedChannels}: accepted, its groups
 *       discrete), or <b>not convertible</b> ({@link ChannelRule.NotConvertible}). The list of
 *       classes is {@link org.integral4j.convert.kinds.LayerKinds}. A network input starts a group.</li>
 *   <li><b>Flatten</b> ({@code CnnToFeedForwardPreProcessor}, as a layer preprocessor or a
 *       {@code PreprocessorVertex}): NCHW gives each channel a contiguous block of {@code h·w}
 *       indices ({@link FlattenOrder#CHANNEL_BLOCKS}); NHWC (Keras channels-last import) gives
 *       channel {@code c} the indices {@code c, c + C, c + 2C, ...}
 *       ({@link FlattenOrder#INTERLEAVED}). {@code RnnToFeedForwardPreProcessor} and
 *       {@code FeedForwardToRnnPreProcessor} keep the channel axis; a
 *       {@code FeedForwardToCnnPreProcessor} is supported on a network input only (reshaping
 *       flat images).</li>
 *   <li><b>Residual ties</b>: {@code ElementWiseVertex} (Add, Subtract, Product, Average, Max)
 *       merges the groups of all its inputs (union-find), so a group may have several producers.</li>
 *   <li><b>Concatenation</b>: a {@code MergeVertex} on the channel axis makes a composite group
 *       whose parts are its inputs' groups in order; an axis that reads it is a member of the
 *       composite and, restricted to each part's channels, of every part. Merging on another
 *       axis is unsupported.</li>
 *   <li>{@code FrozenLayer}, {@code FrozenLayerWithBackprop} and {@code FrozenVertex} are analysed
 *       as the layer or vertex they wrap.</li>
 * </ul>
 * Layer classes are matched exactly: a subclass of a supported layer may change the layout and
 * is unsupported until its kind is registered.
 *
 * <h2>Discrete groups</h2>
 * A group is continuous unless (see {@link DiscreteCause}): it holds a network input's channels;
 * it holds a network output's channels (overridable); the options force one of its axes
 * discrete; a layer whose channels must stay as they are reads or emits it; an unsupported node
 * reads or emits it; or it is concatenated with a discrete group (a concatenation and all its parts
 * are either all continuous or all discrete, so a consumer's input axis is never partly resampled).
 *
 * <h2>Unsupported nodes</h2>
 * A node the analysis cannot see through (an unregistered or not convertible layer type, a
 * structure it does not model) matters only where a group it reads or emits would otherwise be
 * resampled. Where every such group stays discrete for another reason (network input or output,
 * forced discrete, channels kept) the node is accepted as it is; otherwise it is an error, one
 * message listing every offending node and the fixes, unless
 * {@link AnalysisOptions#keepUnsupportedDiscrete()} keeps every group it touches discrete. The
 * error comes from the analysis, before any expensive conversion step.
 *
 * <h2>Checks</h2>
 * Every member of a group must have the same channel count ({@code axis length / block length}),
 * and a flatten's {@code numChannels} must match its group; otherwise an
 * {@link IllegalArgumentException} names both sides.
 *
 * <p>The work is split in two: {@link FlowTraversal} visits the nodes and records what each one
 * emits, {@link GroupAssembler} resolves that into groups.
 */
public final class ChannelGroupAnalyzer {

    private ChannelGroupAnalyzer() {
    }

    /**
     * Analyses a network with the default options.
     *
     * @param view the network
     * @return the groups
     * @throws IllegalArgumentException if a node is unsupported or the members of a group disagree
     *                                  on the channel count
     */
    public static ChannelGroupAnalysis analyze(ModelView view) {
        return analyze(view, AnalysisOptions.defaults());
    }

    /**
     * Analyses a network.
     *
     * @param view    the network (not modified)
     * @param options which axes to keep discrete or make continuous, what to do with unsupported
     *                nodes, and the layer registry
     * @return the groups
     * @throws IllegalArgumentException if a node is unsupported where it matters (unless the options
     *                                  keep such nodes discrete), an option names an unknown node or
     *                                  asks for an impossible continuous axis, or the members of a
     *                                  group disagree on the channel count
     */
    public static ChannelGroupAnalysis analyze(ModelView view, AnalysisOptions options) {
        Checks.requireNonNull("ChannelGroupAnalyzer", "view", view);
        Checks.requireNonNull("ChannelGroupAnalyzer", "options", options);
        for (String n : options.namedNodes()) {
            Checks.require(view.contains(n), "AnalysisOptions",
                    "the options name node '%s', which the network does not have; its nodes are %s.", n,
                    view.nodes().stream().map(ModelNode::name).toList());
        }
        FlowTraversal traversal = new FlowTraversal(view, options).run();
        return new GroupAssembler(view, options, traversal).assemble();
    }
}
