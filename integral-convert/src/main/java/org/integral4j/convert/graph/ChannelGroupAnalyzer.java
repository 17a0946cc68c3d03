package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Pooling1D;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.integral4j.convert.graph.AnalysisOptions.Side;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.graph.DiscreteCause.Kind;
import org.integral4j.convert.graph.GroupMember.Role;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the channel groups of a network: the sets of parameter axes whose channels must be
 * resampled (and permuted) together.
 *
 * <h2>Rules</h2>
 * Nodes are visited in topological order; each node's output is a <em>flow</em>: a group, the
 * number of axis indices per channel and their order (see {@link GroupMember}).
 * <ul>
 *   <li><b>New groups</b>: a network input; the output axis of {@code ConvolutionLayer},
 *       {@code Convolution2D}, {@code Convolution1DLayer}, {@code Convolution1D} ({@code W} axis 0,
 *       {@code b}), {@code DenseLayer}, {@code OutputLayer} ({@code W} axis 1, {@code b}) and of the
 *       pointwise part of {@code SeparableConvolution2D} ({@code pW} axis 0, {@code b}). Their
 *       input axes ({@code W} axis 1 for convolutions, axis 0 for dense, {@code pW} axis 1) join
 *       the input's group.</li>
 *   <li><b>Same group, per-channel parameters</b>: {@code BatchNormalization} (every parameter
 *       axis 0); {@code DepthwiseConvolution2D} ({@code W} axis 2, {@code b} with the multiplier
 *       {@code m} as block length; its output keeps the group with {@code m} indices per
 *       channel); the depthwise {@code W} (axis 1) of {@code SeparableConvolution2D}.</li>
 *   <li><b>Pass-through</b> (no parameters on the channel axis): {@code ActivationLayer},
 *       {@code SubsamplingLayer}, {@code Pooling2D}, {@code Subsampling1DLayer}, {@code Pooling1D},
 *       {@code GlobalPoolingLayer}, {@code DropoutLayer}, {@code ZeroPaddingLayer},
 *       {@code ZeroPadding1DLayer}, {@code Cropping1D}, {@code Cropping2D}, {@code Upsampling1D},
 *       {@code Upsampling2D}, {@code LossLayer}, {@code CnnLossLayer}; {@code ScaleVertex},
 *       {@code ShiftVertex}, {@code PoolHelperVertex}.</li>
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
 * is unsupported.
 *
 * <h2>Discrete groups</h2>
 * A group is continuous unless (see {@link DiscreteCause}): it holds a network input's channels;
 * it holds a network output's channels (overridable); the options force one of its axes
 * discrete; an unsupported node reads or emits it (with
 * {@link AnalysisOptions#keepUnsupportedDiscrete()}; otherwise unsupported nodes are an error);
 * or it is concatenated with a discrete group (a concatenation and all its parts are either all
 * continuous or all discrete, so a consumer's input axis is never partly resampled).
 *
 * <h2>Checks</h2>
 * Every member of a group must have the same channel count ({@code axis length / block length}),
 * and a flatten's {@code numChannels} must match its group; otherwise an
 * {@link IllegalArgumentException} names both sides.
 */
public final class ChannelGroupAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelGroupAnalyzer.class);

    private static final List<Class<?>> CONVOLUTIONS = List.of(ConvolutionLayer.class, Convolution2D.class,
            Convolution1DLayer.class, Convolution1D.class);
    private static final List<Class<?>> DENSE = List.of(DenseLayer.class, OutputLayer.class);
    private static final List<Class<?>> PASS_THROUGH_LAYERS = List.of(ActivationLayer.class, SubsamplingLayer.class,
            Pooling2D.class, Subsampling1DLayer.class, Pooling1D.class, GlobalPoolingLayer.class, DropoutLayer.class,
            ZeroPaddingLayer.class, ZeroPadding1DLayer.class, Cropping1D.class, Cropping2D.class, Upsampling1D.class,
            Upsampling2D.class, LossLayer.class, CnnLossLayer.class);
    private static final List<Class<?>> PASS_THROUGH_VERTICES = List.of(ScaleVertex.class, ShiftVertex.class,
            PoolHelperVertex.class);
    private static final Set<String> BATCH_NORM_KEYS = Set.of("gamma", "beta", "mean", "var", "log10stdev");

    private ChannelGroupAnalyzer() {
    }

    /**
     * The layer configuration classes the analysis supports (matched exactly).
     *
     * @return the classes
     */
    public static Set<Class<?>> supportedLayerTypes() {
        Set<Class<?>> all = new LinkedHashSet<>(CONVOLUTIONS);
        all.add(DepthwiseConvolution2D.class);
        all.add(SeparableConvolution2D.class);
        all.addAll(DENSE);
        all.add(BatchNormalization.class);
        all.addAll(PASS_THROUGH_LAYERS);
        all.add(FrozenLayer.class);
        all.add(FrozenLayerWithBackprop.class);
        return Collections.unmodifiableSet(all);
    }

    /**
     * The graph vertex classes (other than {@code LayerVertex}) the analysis supports.
     *
     * @return the classes
     */
    public static Set<Class<?>> supportedVertexTypes() {
        Set<Class<?>> all = new LinkedHashSet<>(List.of(ElementWiseVertex.class, MergeVertex.class,
                PreprocessorVertex.class, FrozenVertex.class));
        all.addAll(PASS_THROUGH_VERTICES);
        return Collections.unmodifiableSet(all);
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
     * @param options which axes to keep discrete or make continuous, and what to do with
     *                unsupported nodes
     * @return the groups
     * @throws IllegalArgumentException if a node is unsupported (unless the options keep them
     *                                  discrete), an option names an unknown node or asks for an
     *                                  impossible continuous axis, or the members of a group
     *                                  disagree on the channel count
     */
    public static ChannelGroupAnalysis analyze(ModelView view, AnalysisOptions options) {
        Checks.requireNonNull("ChannelGroupAnalyzer", "view", view);
        Checks.requireNonNull("ChannelGroupAnalyzer", "options", options);
        return new Run(view, options).run();
    }

    // ------------------------------------------------------------------------------------------
    // Internal model: handles (union-find over atomic and composite groups), flows and members.

    /** The activation layout a flow is in; decides which axis a MergeVertex must concatenate. */
    private enum Layout {
        FF(1), NCHW(1), NHWC(3), NCW(1), NWC(2), UNKNOWN(-1);

        final int channelAxis;

        Layout(int channelAxis) {
            this.channelAxis = channelAxis;
        }
    }

    private enum Origin { LAYER, INPUT, OPAQUE, CONCAT }

    private static final class Handle {
        final String node;
        final Origin origin;
        final int sizeHint;
        final int[] parts;

        Handle(String node, Origin origin, int sizeHint, int[] parts) {
            this.node = node;
            this.origin = origin;
            this.sizeHint = sizeHint;
            this.parts = parts;
        }

        String groupName() {
            return node + ".out";
        }
    }

    /** What a node emits: a group, the axis indices per channel, their order and the activation layout. */
    private record Flow(int ref, int blockLength, FlattenOrder order, Layout layout) {
        Flow withLayout(Layout l) {
            return new Flow(ref, blockLength, order, l);
        }
    }

    private record RawMember(String node, String key, String networkKey, int axis, Role role, int ref,
                             int blockLength, FlattenOrder order, long axisLength) {
        String describe() {
            return node + "." + key + " axis " + axis + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    private record SizeCheck(String what, int ref, int blockLength, long expectedChannels) {
    }

    private record ContinuousOverride(int ref, String node, Side side) {
    }

    /** Signals an unsupported node or construction; caught per node. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Changes a node makes, applied only when the whole node is supported. */
    private static final class NodeWork {
        final List<RawMember> members = new ArrayList<>();
        final List<int[]> unions = new ArrayList<>();
        final List<SizeCheck> checks = new ArrayList<>();
    }

    private static final class Run {
        private final ModelView view;
        private final AnalysisOptions options;
        private final List<Handle> handles = new ArrayList<>();
        private final List<Integer> parent = new ArrayList<>();
        private final List<RawMember> members = new ArrayList<>();
        private final List<SizeCheck> checks = new ArrayList<>();
        private final Map<Integer, List<DiscreteCause>> causes = new HashMap<>();
        private final Map<String, Flow> outFlows = new LinkedHashMap<>();
        private final Map<String, List<Flow>> inFlows = new LinkedHashMap<>();
        private final Map<String, String> unsupported = new LinkedHashMap<>();

        Run(ModelView view, AnalysisOptions options) {
            this.view = view;
            this.options = options;
        }

        ChannelGroupAnalysis run() {
            checkOptionNodes();
            for (ModelNode node : view.nodes()) {
                visit(node);
            }
            if (!unsupported.isEmpty() && !options.keepUnsupportedDiscrete()) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, String> e : unsupported.entrySet()) {
                    sb.append("\n  - node '").append(e.getKey()).append("' (").append(view.node(e.getKey()).className())
                            .append("): ").append(e.getValue());
                }
                Checks.require(false, "ChannelGroupAnalyzer", "%d node(s) not supported by the channel-group analysis:%s"
                                + "\nFix: keep them discrete with AnalysisOptions.builder().keepUnsupportedDiscrete(true)"
                                + " (every channel group they touch stays discrete), or remove them from the network."
                                + "\nSupported layers: %s; vertices: %s, LayerVertex.",
                        unsupported.size(), sb, simpleNames(supportedLayerTypes()), simpleNames(supportedVertexTypes()));
            }
            for (String out : view.outputNames()) {
                addCause(outFlows.get(out).ref(), new DiscreteCause(Kind.NETWORK_OUTPUT, out, ""));
            }
            List<ContinuousOverride> continuous = applyOverrides();
            return finish(continuous);
        }

        private void checkOptionNodes() {
            Set<String> named = new LinkedHashSet<>(options.forcedDiscrete().keySet());
            named.addAll(options.forcedContinuous().keySet());
            for (String n : named) {
                Checks.require(view.contains(n), "AnalysisOptions",
                        "the options name node '%s', which the network does not have; its nodes are %s.", n,
                        view.nodes().stream().map(ModelNode::name).toList());
            }
        }

        // ------------------------------------------------------------------ traversal

        private void visit(ModelNode node) {
            List<Flow> ins = new ArrayList<>();
            for (String in : node.inputs()) {
                ins.add(outFlows.get(in));
            }
            inFlows.put(node.name(), ins);
            if (node.kind() == NodeSpec.Kind.INPUT) {
                int h = newHandle(node.name(), Origin.INPUT, channelsOf(node.outputType().orElse(null)), null);
                addCause(h, new DiscreteCause(Kind.NETWORK_INPUT, node.name(), ""));
                outFlows.put(node.name(), new Flow(h, 1, FlattenOrder.CHANNEL_BLOCKS, typeLayout(node, Layout.UNKNOWN)));
                return;
            }
            int mark = handles.size();
            NodeWork work = new NodeWork();
            Flow out;
            try {
                out = node.kind() == NodeSpec.Kind.LAYER ? layer(node, ins, work) : vertex(node, ins, work);
                out = out.withLayout(typeLayout(node, out.layout()));
                members.addAll(work.members);
                checks.addAll(work.checks);
                for (int[] u : work.unions) {
                    union(u[0], u[1]);
                }
            } catch (Unsupported u) {
                while (handles.size() > mark) {
                    handles.remove(handles.size() - 1);
                    parent.remove(parent.size() - 1);
                }
                String reason = u.getMessage();
                unsupported.put(node.name(), reason);
                DiscreteCause cause = new DiscreteCause(Kind.UNSUPPORTED_NODE, node.name(), reason);
                for (Flow f : ins) {
                    addCause(f.ref(), cause);
                }
                int h = newHandle(node.name(), Origin.OPAQUE, channelsOf(node.outputType().orElse(null)), null);
                addCause(h, cause);
                out = new Flow(h, 1, FlattenOrder.CHANNEL_BLOCKS, typeLayout(node, Layout.UNKNOWN));
                if (options.keepUnsupportedDiscrete()) {
                    LOG.warn("Node '{}' ({}) is not supported ({}); its channel groups stay discrete.", node.name(),
                            node.typeName(), reason);
                }
            }
            outFlows.put(node.name(), out);
        }

        private Flow layer(ModelNode node, List<Flow> ins, NodeWork w) throws Unsupported {
            if (ins.size() != 1) {
                throw new Unsupported("a layer with " + ins.size() + " inputs");
            }
            Flow f = ins.get(0);
            if (node.preProcessor().isPresent()) {
                f = preprocess(node, node.preProcessor().get(), f, w);
            }
            Layer layer = unwrap(node.layer().orElseThrow(() -> new Unsupported("a layer node without a layer")));
            Class<?> c = layer.getClass();
            if (CONVOLUTIONS.contains(c)) {
                expectKeys(node, Set.of("W"), Set.of("b"));
                requireUnflattened(f, "a convolution");
                expectRank(node, "W", 4);
                member(w, node, "W", 1, Role.CONSUMER, f);
                int out = newHandle(node.name(), Origin.LAYER, -1, null);
                Flow o = new Flow(out, 1, FlattenOrder.CHANNEL_BLOCKS, layer instanceof Convolution1DLayer
                        ? rnnLayout(((Convolution1DLayer) layer).getRnnDataFormat())
                        : cnnLayout(((ConvolutionLayer) layer).getCnn2dDataFormat()));
                member(w, node, "W", 0, Role.PRODUCER, o);
                bias(w, node, o);
                return o;
            }
            if (c == DepthwiseConvolution2D.class) {
                DepthwiseConvolution2D d = (DepthwiseConvolution2D) layer;
                int m = d.getDepthMultiplier();
                expectKeys(node, Set.of("W"), Set.of("b"));
                requireUnflattened(f, "a depthwise convolution");
                expectRank(node, "W", 4);
                member(w, node, "W", 2, Role.PER_CHANNEL, f);
                Flow o = new Flow(f.ref(), f.blockLength() * m, FlattenOrder.CHANNEL_BLOCKS,
                        cnnLayout(d.getCnn2dDataFormat()));
                if (node.paramKeys().contains("b")) {
                    member(w, node, "b", vectorAxis(node, "b"), Role.PER_CHANNEL, o);
                }
                return o;
            }
            if (c == SeparableConvolution2D.class) {
                SeparableConvolution2D s = (SeparableConvolution2D) layer;
                int m = s.getDepthMultiplier();
                expectKeys(node, Set.of("W", "pW"), Set.of("b"));
                requireUnflattened(f, "a separable convolution");
                expectRank(node, "W", 4);
                expectRank(node, "pW", 4);
                member(w, node, "W", 1, Role.PER_CHANNEL, f);
                member(w, node, "pW", 1, Role.CONSUMER,
                        new Flow(f.ref(), f.blockLength() * m, FlattenOrder.CHANNEL_BLOCKS, f.layout()));
                int out = newHandle(node.name(), Origin.LAYER, -1, null);
                Flow o = new Flow(out, 1, FlattenOrder.CHANNEL_BLOCKS, cnnLayout(s.getCnn2dDataFormat()));
                member(w, node, "pW", 0, Role.PRODUCER, o);
                bias(w, node, o);
                return o;
            }
            if (DENSE.contains(c)) {
                expectKeys(node, Set.of("W"), Set.of("b"));
                expectRank(node, "W", 2);
                member(w, node, "W", 0, Role.CONSUMER, f);
                int out = newHandle(node.name(), Origin.LAYER, -1, null);
                Flow o = new Flow(out, 1, FlattenOrder.CHANNEL_BLOCKS, Layout.FF);
                member(w, node, "W", 1, Role.PRODUCER, o);
                bias(w, node, o);
                return o;
            }
            if (c == BatchNormalization.class) {
                Set<String> keys = new LinkedHashSet<>(node.paramKeys());
                keys.removeAll(BATCH_NORM_KEYS);
                if (!keys.isEmpty()) {
                    throw new Unsupported("unexpected batch-norm parameters " + keys);
                }
                for (String key : node.paramKeys()) {
                    member(w, node, key, vectorAxis(node, key), Role.PER_CHANNEL, f);
                }
                return f;
            }
            if (PASS_THROUGH_LAYERS.contains(c)) {
                if (node.hasParams()) {
                    throw new Unsupported("a pass-through layer with parameters " + node.paramKeys());
                }
                return f.withLayout(passThroughLayout(layer, f.layout()));
            }
            throw new Unsupported("layer type " + c.getSimpleName() + " is not supported");
        }

        private Flow vertex(ModelNode node, List<Flow> ins, NodeWork w) throws Unsupported {
            GraphVertex v = node.vertex().orElseThrow(() -> new Unsupported("a vertex node without a vertex"));
            while (v instanceof FrozenVertex) {
                v = ((FrozenVertex) v).getUnderlying();
            }
            Class<?> c = v.getClass();
            if (c == PreprocessorVertex.class) {
                requireSingleInput(ins);
                return preprocess(node, ((PreprocessorVertex) v).getPreProcessor(), ins.get(0), w);
            }
            if (c == ElementWiseVertex.class) {
                return tie(node, (ElementWiseVertex) v, ins, w);
            }
            if (c == MergeVertex.class) {
                return concat(node, (MergeVertex) v, ins);
            }
            if (PASS_THROUGH_VERTICES.contains(c)) {
                requireSingleInput(ins);
                return ins.get(0);
            }
            throw new Unsupported("vertex type " + c.getSimpleName() + " is not supported");
        }

        private Flow preprocess(ModelNode node, InputPreProcessor pre, Flow f, NodeWork w) throws Unsupported {
            Class<?> c = pre.getClass();
            if (c == CnnToFeedForwardPreProcessor.class) {
                CnnToFeedForwardPreProcessor p = (CnnToFeedForwardPreProcessor) pre;
                long hw = p.getInputHeight() * p.getInputWidth();
                boolean nhwc = p.getFormat() == CNN2DFormat.NHWC;
                requireUnflattened(f, "a flatten (CnnToFeedForwardPreProcessor)");
                Layout expected = nhwc ? Layout.NHWC : Layout.NCHW;
                if (f.layout() != Layout.UNKNOWN && f.layout() != expected) {
                    throw new Unsupported("its CnnToFeedForwardPreProcessor flattens " + p.getFormat()
                            + " activations, but its input is " + f.layout());
                }
                if (hw > Integer.MAX_VALUE / Math.max(1, f.blockLength())) {
                    throw new Unsupported("flattened block of " + hw + " values per channel is too large");
                }
                w.checks.add(new SizeCheck(node.name() + " CnnToFeedForwardPreProcessor numChannels", f.ref(),
                        f.blockLength(), p.getNumChannels()));
                if (!nhwc) {
                    return new Flow(f.ref(), (int) (f.blockLength() * hw), FlattenOrder.CHANNEL_BLOCKS, Layout.FF);
                }
                if (isComposite(f.ref())) {
                    throw new Unsupported("it flattens a concatenation channels-last (NHWC): each part's channels"
                            + " are interleaved with the stride of the whole concatenation");
                }
                if (f.blockLength() != 1) {
                    throw new Unsupported("it flattens channels-last (NHWC) an activation with "
                            + f.blockLength() + " channels per group channel (depthwise multiplier)");
                }
                return new Flow(f.ref(), (int) hw, FlattenOrder.INTERLEAVED, Layout.FF);
            }
            if (c == FeedForwardToCnnPreProcessor.class) {
                Handle h = handles.get(f.ref());
                if (h.origin != Origin.INPUT || f.blockLength() != 1 || f.order() != FlattenOrder.CHANNEL_BLOCKS) {
                    throw new Unsupported("FeedForwardToCnnPreProcessor is supported on a network input only");
                }
                FeedForwardToCnnPreProcessor p = (FeedForwardToCnnPreProcessor) pre;
                w.checks.add(new SizeCheck(node.name() + " FeedForwardToCnnPreProcessor numChannels", f.ref(), 1,
                        p.getNumChannels()));
                return f.withLayout(Layout.NCHW);
            }
            if (c == RnnToFeedForwardPreProcessor.class) {
                return f.withLayout(Layout.FF);
            }
            if (c == FeedForwardToRnnPreProcessor.class) {
                return f.withLayout(Layout.UNKNOWN);
            }
            throw new Unsupported("input preprocessor " + c.getSimpleName() + " is not supported (supported:"
                    + " CnnToFeedForwardPreProcessor, RnnToFeedForwardPreProcessor, FeedForwardToRnnPreProcessor,"
                    + " FeedForwardToCnnPreProcessor on a network input)");
        }

        private Flow tie(ModelNode node, ElementWiseVertex v, List<Flow> ins, NodeWork w) throws Unsupported {
            if (ins.isEmpty()) {
                throw new Unsupported("an element-wise vertex without inputs");
            }
            Flow first = ins.get(0);
            boolean composite = isComposite(first.ref());
            Layout layout = Layout.UNKNOWN;
            for (Flow f : ins) {
                if (f.blockLength() != first.blockLength() || f.order() != first.order()) {
                    throw new Unsupported("element-wise " + v.getOp() + " of inputs with different channel layouts ("
                            + first.blockLength() + " " + first.order() + " vs " + f.blockLength() + " " + f.order()
                            + ")");
                }
                if (isComposite(f.ref()) != composite) {
                    throw new Unsupported("element-wise " + v.getOp() + " of a concatenation and a non-concatenated"
                            + " activation: the latter's channels cannot be split into the concatenation's parts");
                }
                if (layout == Layout.UNKNOWN) {
                    layout = f.layout();
                }
            }
            for (Flow f : ins.subList(1, ins.size())) {
                w.unions.add(new int[] {first.ref(), f.ref()});
                if (composite) {
                    int[] a = partsOf(first.ref());
                    int[] b = partsOf(f.ref());
                    if (a.length != b.length) {
                        throw new Unsupported("element-wise " + v.getOp() + " of concatenations with " + a.length
                                + " and " + b.length + " parts");
                    }
                    for (int j = 0; j < a.length; j++) {
                        w.unions.add(new int[] {a[j], b[j]});
                    }
                }
            }
            return first.withLayout(layout);
        }

        private Flow concat(ModelNode node, MergeVertex v, List<Flow> ins) throws Unsupported {
            if (ins.size() == 1) {
                return ins.get(0);
            }
            if (ins.isEmpty()) {
                throw new Unsupported("a merge vertex without inputs");
            }
            Flow first = ins.get(0);
            List<Integer> parts = new ArrayList<>();
            for (Flow f : ins) {
                if (f.order() != FlattenOrder.CHANNEL_BLOCKS || f.blockLength() != first.blockLength()) {
                    throw new Unsupported("it concatenates activations with different channel layouts ("
                            + first.blockLength() + " " + first.order() + " vs " + f.blockLength() + " " + f.order()
                            + ")");
                }
                if (f.layout() == Layout.UNKNOWN) {
                    throw new Unsupported("the layout of its inputs is unknown, so the channel axis cannot be"
                            + " checked against merge axis " + v.getMergeAxis() + "; make the view with input types"
                            + " (ModelView.of(graph, inputTypes))");
                }
                if (f.layout() != first.layout()) {
                    throw new Unsupported("it concatenates " + first.layout() + " and " + f.layout() + " activations");
                }
                for (int p : isComposite(f.ref()) ? partsOf(f.ref()) : new int[] {f.ref()}) {
                    parts.add(p);
                }
            }
            if (v.getMergeAxis() != first.layout().channelAxis) {
                throw new Unsupported("it concatenates along axis " + v.getMergeAxis() + ", not along the channel axis "
                        + first.layout().channelAxis + " of its " + first.layout() + " inputs");
            }
            int h = newHandle(node.name(), Origin.CONCAT, -1, parts.stream().mapToInt(Integer::intValue).toArray());
            return new Flow(h, first.blockLength(), FlattenOrder.CHANNEL_BLOCKS, first.layout());
        }

        // ------------------------------------------------------------------ traversal helpers

        private static Layer unwrap(Layer layer) {
            Layer l = layer;
            while (true) {
                if (l instanceof FrozenLayer) {
                    l = ((FrozenLayer) l).getLayer();
                } else if (l instanceof FrozenLayerWithBackprop) {
                    l = ((FrozenLayerWithBackprop) l).getUnderlying();
                } else {
                    return l;
                }
            }
        }

        private static void requireSingleInput(List<Flow> ins) throws Unsupported {
            if (ins.size() != 1) {
                throw new Unsupported("a single-input vertex with " + ins.size() + " inputs");
            }
        }

        private static void requireUnflattened(Flow f, String what) throws Unsupported {
            if (f.order() != FlattenOrder.CHANNEL_BLOCKS || f.layout() == Layout.FF && f.blockLength() > 1) {
                throw new Unsupported(what + " reads a flattened activation");
            }
        }

        private static void expectKeys(ModelNode node, Set<String> required, Set<String> optional) throws Unsupported {
            List<String> keys = node.paramKeys();
            Set<String> extra = new LinkedHashSet<>(keys);
            extra.removeAll(required);
            extra.removeAll(optional);
            if (!keys.containsAll(required) || !extra.isEmpty()) {
                throw new Unsupported("unexpected parameters " + keys + ", expected " + required
                        + (optional.isEmpty() ? "" : " and optionally " + optional));
            }
        }

        private static void expectRank(ModelNode node, String key, int rank) throws Unsupported {
            long[] shape = node.paramShape(key);
            if (shape.length != rank) {
                throw new Unsupported("parameter " + key + " has shape " + java.util.Arrays.toString(shape)
                        + ", expected rank " + rank);
            }
        }

        /** The axis of a vector parameter: {@code [n]} (DL4J M2.1) or {@code [1, n]}. */
        private static int vectorAxis(ModelNode node, String key) throws Unsupported {
            long[] s = node.paramShape(key);
            if (s.length == 1) {
                return 0;
            }
            if (s.length == 2 && s[0] == 1) {
                return 1;
            }
            throw new Unsupported("parameter " + key + " has shape " + java.util.Arrays.toString(s)
                    + ", expected a vector");
        }

        private void bias(NodeWork w, ModelNode node, Flow out) throws Unsupported {
            if (node.paramKeys().contains("b")) {
                member(w, node, "b", vectorAxis(node, "b"), Role.PRODUCER, out);
            }
        }

        private void member(NodeWork w, ModelNode node, String key, int axis, Role role, Flow f) {
            long[] shape = node.paramShape(key);
            w.members.add(new RawMember(node.name(), key, node.networkParamKey(key), axis, role, f.ref(),
                    f.blockLength(), f.order(), shape[axis]));
        }

        private Layout typeLayout(ModelNode node, Layout fallback) {
            InputType t = node.outputType().orElse(null);
            Layout l = t == null ? Layout.UNKNOWN : layoutOf(t);
            return l == Layout.UNKNOWN ? fallback : l;
        }

        private static Layout layoutOf(InputType t) {
            if (t instanceof InputType.InputTypeConvolutional) {
                return cnnLayout(((InputType.InputTypeConvolutional) t).getFormat());
            }
            if (t instanceof InputType.InputTypeFeedForward || t instanceof InputType.InputTypeConvolutionalFlat) {
                return Layout.FF;
            }
            if (t instanceof InputType.InputTypeRecurrent) {
                return rnnLayout(((InputType.InputTypeRecurrent) t).getFormat());
            }
            return Layout.UNKNOWN;
        }

        private static int channelsOf(InputType t) {
            long c = -1;
            if (t instanceof InputType.InputTypeConvolutional) {
                c = ((InputType.InputTypeConvolutional) t).getChannels();
            } else if (t instanceof InputType.InputTypeConvolutionalFlat) {
                c = ((InputType.InputTypeConvolutionalFlat) t).getDepth();
            } else if (t instanceof InputType.InputTypeFeedForward) {
                c = ((InputType.InputTypeFeedForward) t).getSize();
            } else if (t instanceof InputType.InputTypeRecurrent) {
                c = ((InputType.InputTypeRecurrent) t).getSize();
            }
            return c > 0 && c <= Integer.MAX_VALUE ? (int) c : -1;
        }

        private static Layout cnnLayout(CNN2DFormat f) {
            return f == CNN2DFormat.NHWC ? Layout.NHWC : Layout.NCHW;
        }

        private static Layout rnnLayout(RNNFormat f) {
            return f == RNNFormat.NWC ? Layout.NWC : Layout.NCW;
        }

        private static Layout passThroughLayout(Layer l, Layout in) {
            if (l instanceof GlobalPoolingLayer) {
                return ((GlobalPoolingLayer) l).isCollapseDimensions() ? Layout.FF : in;
            }
            if (l instanceof Subsampling1DLayer) {
                return in;
            }
            if (l instanceof SubsamplingLayer) {
                return cnnLayout(((SubsamplingLayer) l).getCnn2dDataFormat());
            }
            if (l instanceof Upsampling2D) {
                return cnnLayout(((Upsampling2D) l).getFormat());
            }
            if (l instanceof ZeroPaddingLayer) {
                return cnnLayout(((ZeroPaddingLayer) l).getDataFormat());
            }
            if (l instanceof Cropping2D) {
                return cnnLayout(((Cropping2D) l).getDataFormat());
            }
            if (l instanceof CnnLossLayer) {
                return cnnLayout(((CnnLossLayer) l).getFormat());
            }
            return in;
        }

        private static String simpleNames(Set<Class<?>> classes) {
            return classes.stream().map(Class::getSimpleName).toList().toString();
        }

        // ------------------------------------------------------------------ union-find

        private int newHandle(String node, Origin origin, int sizeHint, int[] parts) {
            handles.add(new Handle(node, origin, sizeHint, parts));
            parent.add(handles.size() - 1);
            return handles.size() - 1;
        }

        private int find(int h) {
            int r = h;
            while (parent.get(r) != r) {
                r = parent.get(r);
            }
            int x = h;
            while (parent.get(x) != r) {
                int next = parent.get(x);
                parent.set(x, r);
                x = next;
            }
            return r;
        }

        /** Unites two classes; the smaller id (earlier in topological order) stays the root. */
        private void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent.set(Math.max(ra, rb), Math.min(ra, rb));
            }
        }

        private boolean isComposite(int ref) {
            return handles.get(find(ref)).parts != null;
        }

        private int[] partsOf(int ref) {
            return handles.get(find(ref)).parts;
        }

        private void addCause(int ref, DiscreteCause cause) {
            causes.computeIfAbsent(ref, k -> new ArrayList<>()).add(cause);
        }

        // ------------------------------------------------------------------ options

        /** Adds the forced-discrete causes; returns the forced-continuous axes. */
        private List<ContinuousOverride> applyOverrides() {
            for (Map.Entry<String, Set<Side>> e : options.forcedDiscrete().entrySet()) {
                for (Side side : e.getValue()) {
                    for (int ref : refsOf(e.getKey(), side)) {
                        addCause(ref, new DiscreteCause(Kind.FORCED_BY_USER, e.getKey(),
                                side.name().toLowerCase(Locale.ROOT)));
                    }
                }
            }
            List<ContinuousOverride> continuous = new ArrayList<>();
            for (Map.Entry<String, Set<Side>> e : options.forcedContinuous().entrySet()) {
                for (Side side : e.getValue()) {
                    for (int ref : refsOf(e.getKey(), side)) {
                        continuous.add(new ContinuousOverride(ref, e.getKey(), side));
                    }
                }
            }
            return continuous;
        }

        private List<Integer> refsOf(String node, Side side) {
            List<Integer> refs = new ArrayList<>();
            if (side == Side.OUTPUT) {
                refs.add(outFlows.get(node).ref());
            } else {
                List<Flow> ins = inFlows.get(node);
                Checks.require(!ins.isEmpty(), "AnalysisOptions",
                        "node '%s' is a network input and has no input axis. Fix: name its OUTPUT side.", node);
                for (Flow f : ins) {
                    refs.add(f.ref());
                }
            }
            return refs;
        }

        // ------------------------------------------------------------------ results

        private ChannelGroupAnalysis finish(List<ContinuousOverride> forcedContinuous) {
            int n = handles.size();
            int[] root = new int[n];
            for (int i = 0; i < n; i++) {
                root[i] = find(i);
            }
            TreeMap<Integer, List<Integer>> classes = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                classes.computeIfAbsent(root[i], k -> new ArrayList<>()).add(i);
            }
            Map<Integer, int[]> partRoots = new HashMap<>();
            for (int r : classes.keySet()) {
                int[] parts = handles.get(r).parts;
                if (parts != null) {
                    int[] pr = new int[parts.length];
                    for (int j = 0; j < parts.length; j++) {
                        pr[j] = root[parts[j]];
                    }
                    partRoots.put(r, pr);
                }
            }
            Map<Integer, Integer> sizes = sizes(classes, root, partRoots);
            checkSizes(sizes, root);
            Map<Integer, LinkedHashSet<DiscreteCause>> discrete = discreteness(classes, root, partRoots, forcedContinuous);

            Map<Integer, List<GroupMember>> groupMembers = new HashMap<>();
            Map<String, List<GroupMember>> nodeMembers = new LinkedHashMap<>();
            for (RawMember m : members) {
                int r = root[m.ref()];
                String name = handles.get(r).groupName();
                int size = sizes.get(r);
                GroupMember direct = new GroupMember(m.node(), m.key(), m.networkKey(), m.axis(), m.role(), name, 0,
                        size, size, m.blockLength(), m.order(), m.axisLength(), null);
                groupMembers.computeIfAbsent(r, k -> new ArrayList<>()).add(direct);
                nodeMembers.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(direct);
                int[] pr = partRoots.get(r);
                if (pr != null) {
                    int offset = 0;
                    for (int p : pr) {
                        int ps = sizes.get(p);
                        groupMembers.computeIfAbsent(p, k -> new ArrayList<>()).add(new GroupMember(m.node(), m.key(),
                                m.networkKey(), m.axis(), m.role(), handles.get(p).groupName(), offset, ps, size,
                                m.blockLength(), m.order(), m.axisLength(), name));
                        offset += ps;
                    }
                }
            }

            List<ChannelGroupSpec> groups = new ArrayList<>();
            int index = 0;
            for (Map.Entry<Integer, List<Integer>> e : classes.entrySet()) {
                int r = e.getKey();
                List<String> producers = new ArrayList<>();
                for (int h : e.getValue()) {
                    producers.add(handles.get(h).node);
                }
                List<String> parts = new ArrayList<>();
                int[] pr = partRoots.get(r);
                if (pr != null) {
                    for (int p : pr) {
                        parts.add(handles.get(p).groupName());
                    }
                }
                groups.add(new ChannelGroupSpec(handles.get(r).groupName(), index++, sizes.get(r), pr != null, parts,
                        producers, groupMembers.getOrDefault(r, List.of()),
                        new ArrayList<>(discrete.getOrDefault(r, new LinkedHashSet<>()))));
            }

            Map<String, NodeGroups> nodes = new LinkedHashMap<>();
            for (ModelNode node : view.nodes()) {
                List<String> inGroups = new ArrayList<>();
                List<Boolean> inCont = new ArrayList<>();
                for (Flow f : inFlows.get(node.name())) {
                    inGroups.add(handles.get(root[f.ref()]).groupName());
                    inCont.add(!discrete.containsKey(root[f.ref()]));
                }
                int outRoot = root[outFlows.get(node.name()).ref()];
                List<GroupMember> own = nodeMembers.getOrDefault(node.name(), List.of());
                List<Boolean> ownCont = new ArrayList<>();
                for (GroupMember m : own) {
                    ownCont.add(groups.stream().filter(g -> g.name().equals(m.group())).findFirst()
                            .map(ChannelGroupSpec::isContinuous).orElse(false));
                }
                nodes.put(node.name(), new NodeGroups(node.name(), inGroups, inCont, handles.get(outRoot).groupName(),
                        !discrete.containsKey(outRoot), own, ownCont, unsupported.get(node.name())));
            }
            ChannelGroupAnalysis result = new ChannelGroupAnalysis(groups, nodes, unsupported, options);
            if (LOG.isDebugEnabled()) {
                for (NodeGroups ng : nodes.values()) {
                    LOG.debug("{}", ng);
                }
            }
            LOG.info("Channel groups: {} ({} continuous, {} discrete){}", groups.size(),
                    result.continuousGroups().size(), groups.size() - result.continuousGroups().size(),
                    unsupported.isEmpty() ? "" : "; unsupported nodes kept discrete: " + unsupported.keySet());
            return result;
        }

        /** Channel count of every class: from its direct members, else its size hints; composites sum their parts. */
        private Map<Integer, Integer> sizes(TreeMap<Integer, List<Integer>> classes, int[] root,
                                            Map<Integer, int[]> partRoots) {
            Map<Integer, Integer> sizes = new HashMap<>();
            Map<Integer, RawMember> definer = new HashMap<>();
            for (RawMember m : members) {
                int r = root[m.ref()];
                if (partRoots.containsKey(r)) {
                    continue;
                }
                Checks.require(m.axisLength() % m.blockLength() == 0, m.node(),
                        "%s has length %d, not a multiple of its %d indices per channel.", m.describe(), m.axisLength(),
                        m.blockLength());
                int ch = (int) (m.axisLength() / m.blockLength());
                Integer known = sizes.putIfAbsent(r, ch);
                if (known == null) {
                    definer.put(r, m);
                } else if (known != ch) {
                    RawMember d = definer.get(r);
                    Checks.require(false, "group '" + handles.get(r).groupName() + "'",
                            "%s carries %d channels (axis length %d / %d per channel), but %s carries %d (axis length"
                                    + " %d / %d per channel). Every axis of a channel group must have the same channel"
                                    + " count; check the nIn/nOut of these layers.",
                            m.describe(), ch, m.axisLength(), m.blockLength(), d.describe(), known, d.axisLength(),
                            d.blockLength());
                }
            }
            for (Map.Entry<Integer, List<Integer>> e : classes.entrySet()) {
                int r = e.getKey();
                if (partRoots.containsKey(r) || sizes.containsKey(r)) {
                    continue;
                }
                int hint = -1;
                for (int h : e.getValue()) {
                    if (handles.get(h).sizeHint > 0) {
                        hint = handles.get(h).sizeHint;
                        break;
                    }
                }
                sizes.put(r, hint);
            }
            composeTotals(sizes, partRoots);
            inferUnknownParts(sizes, root, partRoots);
            return sizes;
        }

        private static void composeTotals(Map<Integer, Integer> sizes, Map<Integer, int[]> partRoots) {
            for (Map.Entry<Integer, int[]> e : partRoots.entrySet()) {
                int total = 0;
                for (int p : e.getValue()) {
                    int s = sizes.get(p);
                    total = total < 0 || s < 0 ? -1 : total + s;
                }
                sizes.put(e.getKey(), total);
            }
        }

        /**
         * A part without parameters of its own (e.g. a network input or an unsupported node's
         * output, made without input types) gets its size from an axis that reads the
         * concatenation, when it is the only unknown part.
         */
        private void inferUnknownParts(Map<Integer, Integer> sizes, int[] root, Map<Integer, int[]> partRoots) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (RawMember m : members) {
                    int r = root[m.ref()];
                    int[] pr = partRoots.get(r);
                    if (pr == null || sizes.get(r) >= 0 || m.axisLength() % m.blockLength() != 0) {
                        continue;
                    }
                    Set<Integer> unknown = new LinkedHashSet<>();
                    long known = 0;
                    int copies = 0;
                    for (int p : pr) {
                        if (sizes.get(p) < 0) {
                            unknown.add(p);
                            copies++;
                        } else {
                            known += sizes.get(p);
                        }
                    }
                    long rest = m.axisLength() / m.blockLength() - known;
                    if (unknown.size() == 1 && rest > 0 && rest % copies == 0) {
                        sizes.put(unknown.iterator().next(), (int) (rest / copies));
                        composeTotals(sizes, partRoots);
                        progress = true;
                    }
                }
            }
        }

        private void checkSizes(Map<Integer, Integer> sizes, int[] root) {
            for (RawMember m : members) {
                int r = root[m.ref()];
                int size = sizes.get(r);
                String group = handles.get(r).groupName();
                Checks.require(size >= 0, "group '" + group + "'",
                        "cannot determine the channel count of every part of this concatenation, which %s reads."
                                + " Fix: make the view with input types (ModelView.of(net, inputTypes)).",
                        m.describe());
                Checks.require((long) size * m.blockLength() == m.axisLength(), "group '" + group + "'",
                        "%s has length %d, expected %d channels x %d per channel = %d. Check the nIn of %s.",
                        m.describe(), m.axisLength(), size, m.blockLength(), (long) size * m.blockLength(), m.node());
            }
            for (SizeCheck c : checks) {
                int r = root[c.ref()];
                int size = sizes.get(r);
                if (size >= 0) {
                    Checks.require((long) size * c.blockLength() == c.expectedChannels(), c.what(),
                            "expected %d channels, but its input carries group '%s' of %d channels x %d per channel."
                                    + " Check the preprocessor's configuration.",
                            c.expectedChannels(), handles.get(r).groupName(), size, c.blockLength());
                }
            }
        }

        private Map<Integer, LinkedHashSet<DiscreteCause>> discreteness(TreeMap<Integer, List<Integer>> classes,
                int[] root, Map<Integer, int[]> partRoots, List<ContinuousOverride> forcedContinuous) {
            Map<Integer, LinkedHashSet<DiscreteCause>> d = new HashMap<>();
            for (Map.Entry<Integer, List<DiscreteCause>> e : causes.entrySet()) {
                d.computeIfAbsent(root[e.getKey()], k -> new LinkedHashSet<>()).addAll(e.getValue());
            }
            for (ContinuousOverride o : forcedContinuous) {
                int r = root[o.ref()];
                List<Integer> targets = new ArrayList<>(List.of(r));
                if (partRoots.containsKey(r)) {
                    for (int p : partRoots.get(r)) {
                        targets.add(p);
                    }
                }
                for (int t : targets) {
                    LinkedHashSet<DiscreteCause> set = d.get(t);
                    if (set == null) {
                        continue;
                    }
                    set.removeIf(c -> c.kind() == Kind.NETWORK_OUTPUT);
                    Checks.require(set.isEmpty(), "AnalysisOptions",
                            "the %s axis of '%s' is forced continuous, but its group '%s' must stay discrete: %s."
                                    + " Fix: remove forceContinuous(\"%s\", %s).",
                            o.side(), o.node(), handles.get(t).groupName(), set, o.node(), o.side());
                    d.remove(t);
                }
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Map.Entry<Integer, int[]> e : partRoots.entrySet()) {
                    List<Integer> linked = new ArrayList<>(List.of(e.getKey()));
                    for (int p : e.getValue()) {
                        linked.add(p);
                    }
                    Integer culprit = null;
                    for (int x : linked) {
                        if (d.containsKey(x)) {
                            culprit = x;
                            break;
                        }
                    }
                    if (culprit == null) {
                        continue;
                    }
                    for (int x : linked) {
                        if (!d.containsKey(x)) {
                            d.computeIfAbsent(x, k -> new LinkedHashSet<>()).add(new DiscreteCause(
                                    Kind.CONCATENATED_WITH_DISCRETE, handles.get(e.getKey()).node,
                                    "group '" + handles.get(culprit).groupName() + "'"));
                            changed = true;
                        }
                    }
                }
            }
            for (ContinuousOverride o : forcedContinuous) {
                int r = root[o.ref()];
                Checks.require(!d.containsKey(r), "AnalysisOptions",
                        "the %s axis of '%s' is forced continuous, but its group '%s' must stay discrete: %s."
                                + " Fix: remove forceContinuous(\"%s\", %s).",
                        o.side(), o.node(), handles.get(r).groupName(), d.get(r), o.node(), o.side());
            }
            return d;
        }
    }
}
