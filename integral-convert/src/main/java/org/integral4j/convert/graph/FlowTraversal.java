package org.integral4j.convert.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.integral4j.convert.graph.DiscreteCause.Kind;
import org.integral4j.convert.graph.GroupHandles.Origin;
import org.integral4j.convert.graph.GroupMember.Role;
import org.integral4j.convert.kinds.ActivationLayout;
import org.integral4j.convert.kinds.ChannelRule;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.kinds.VertexKind;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;

/**
 * The first half of the channel-group analysis: visits the nodes in topological order and records,
 * for each, what its output carries (a {@link Flow}), which of its parameter axes carry which
 * handle ({@link RawMember}s), which handles residual additions tie together, which checks the
 * channel counts must pass, and why handles must stay discrete. A layer's behaviour comes from its
 * kind in the {@link LayerRegistry} ({@link ChannelRule}); graph vertices and input preprocessors
 * are the traversal's own. A node it cannot see through is recorded as unsupported (with the
 * handles it touches); {@link GroupAssembler} decides whether that matters.
 */
final class FlowTraversal {

    /** The preprocessors the traversal understands, for messages. */
    static final String SUPPORTED_PREPROCESSORS = "CnnToFeedForwardPreProcessor, RnnToFeedForwardPreProcessor,"
            + " FeedForwardToRnnPreProcessor, FeedForwardToCnnPreProcessor on a network input";

    /**
     * What a node emits: a handle, the axis indices per channel, their order and the activation
     * layout.
     *
     * @param ref         the handle
     * @param blockLength axis indices per channel ({@code h·w} after a flatten, {@code m} after a depthwise layer)
     * @param order       how channels and positions map to indices
     * @param layout      the activation layout
     */
    record Flow(int ref, int blockLength, FlattenOrder order, ActivationLayout layout) {
        Flow withLayout(ActivationLayout l) {
            return new Flow(ref, blockLength, order, l);
        }
    }

    /**
     * One parameter axis that carries a handle, before the handles are resolved into groups.
     *
     * @param node        the node
     * @param key         the layer-local parameter key
     * @param networkKey  the network-level key
     * @param axis        the axis in the reported layout
     * @param role        producer, consumer or per-channel
     * @param ref         the handle it carries
     * @param blockLength axis indices per channel
     * @param order       how channels and positions map to indices
     * @param axisLength  the axis' length
     */
    record RawMember(String node, String key, String networkKey, int axis, Role role, int ref, int blockLength,
                     FlattenOrder order, long axisLength) {
        String describe() {
            return node + "." + key + " axis " + axis + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    /**
     * A channel count a preprocessor expects of the handle it reads.
     *
     * @param what             the preprocessor, for messages
     * @param ref              the handle it reads
     * @param blockLength      indices per channel of that handle
     * @param expectedChannels the count it was configured with
     */
    record SizeCheck(String what, int ref, int blockLength, long expectedChannels) {
    }

    /**
     * A node the traversal cannot see through.
     *
     * @param node    the node
     * @param reason  why
     * @param touched the handles it reads and the opaque handle it emits
     */
    record UnsupportedNode(ModelNode node, String reason, List<Integer> touched) {
    }

    /** Signals an unsupported node or construction; caught per node. */
    static final class Unsupported extends Exception {
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
        final Map<Integer, DiscreteCause> causes = new LinkedHashMap<>();
    }

    private final ModelView view;
    private final LayerRegistry registry;
    private final boolean requireIntegralLayers;
    final GroupHandles handles = new GroupHandles();
    final List<RawMember> members = new ArrayList<>();
    final List<SizeCheck> checks = new ArrayList<>();
    final Map<Integer, List<DiscreteCause>> causes = new HashMap<>();
    final Map<String, Flow> outFlows = new LinkedHashMap<>();
    final Map<String, List<Flow>> inFlows = new LinkedHashMap<>();
    final List<UnsupportedNode> unsupported = new ArrayList<>();

    FlowTraversal(ModelView view, AnalysisOptions options) {
        this.view = view;
        this.registry = options.layerRegistry();
        this.requireIntegralLayers = options.requireIntegralLayers();
    }

    /** Visits every node. */
    FlowTraversal run() {
        for (ModelNode node : view.nodes()) {
            visit(node);
        }
        return this;
    }

    void addCause(int ref, DiscreteCause cause) {
        causes.computeIfAbsent(ref, k -> new ArrayList<>()).add(cause);
    }

    private void visit(ModelNode node) {
        List<Flow> ins = new ArrayList<>();
        for (String in : node.inputs()) {
            ins.add(outFlows.get(in));
        }
        inFlows.put(node.name(), ins);
        if (node.kind() == NodeSpec.Kind.INPUT) {
            int h = handles.add(node.name(), Origin.INPUT, channelsOf(node.outputType().orElse(null)), List.of());
            addCause(h, new DiscreteCause(Kind.NETWORK_INPUT, node.name(), ""));
            outFlows.put(node.name(), new Flow(h, 1, FlattenOrder.CHANNEL_BLOCKS, typeLayout(node,
                    ActivationLayout.UNKNOWN)));
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
            work.unions.forEach(u -> handles.union(u[0], u[1]));
            work.causes.forEach(this::addCause);
        } catch (Unsupported u) {
            handles.truncate(mark);
            int h = handles.add(node.name(), Origin.OPAQUE, channelsOf(node.outputType().orElse(null)), List.of());
            List<Integer> touched = new ArrayList<>();
            ins.forEach(f -> touched.add(f.ref()));
            touched.add(h);
            unsupported.add(new UnsupportedNode(node, u.getMessage(), touched));
            out = new Flow(h, 1, FlattenOrder.CHANNEL_BLOCKS, typeLayout(node, ActivationLayout.UNKNOWN));
        }
        outFlows.put(node.name(), out);
    }

    // ------------------------------------------------------------------ layers

    private Flow layer(ModelNode node, List<Flow> ins, NodeWork w) throws Unsupported {
        if (ins.size() != 1) {
            throw new Unsupported("a layer with " + ins.size() + " inputs");
        }
        Flow f = ins.get(0);
        if (node.preProcessor().isPresent()) {
            f = preprocess(node, node.preProcessor().get(), f, w);
        }
        Layer layer = LayerRegistry.unwrap(node.layer().orElseThrow(() -> new Unsupported("a layer node without a"
                + " layer")));
        String type = layer.getClass().getSimpleName();
        LayerKind kind = registry.kindOf(layer).orElseThrow(() -> new Unsupported("layer type " + type
                + " is not supported"));
        if (requireIntegralLayers && kind.support() == LayerKind.Support.NO_INTEGRAL_LAYER) {
            throw new Unsupported("layer type " + type + " has no integral counterpart (" + kind.description() + ")");
        }
        ChannelRule rule = kind.channels(layer);
        if (rule instanceof ChannelRule.Weighted r) {
            return weighted(node, type, r, f, w);
        }
        if (rule instanceof ChannelRule.Depthwise r) {
            return depthwise(node, type, r, f, w);
        }
        if (rule instanceof ChannelRule.Separable r) {
            return separable(node, type, r, f, w);
        }
        if (rule instanceof ChannelRule.PerChannel r) {
            return perChannel(node, r, f, w);
        }
        if (rule instanceof ChannelRule.PassThrough r) {
            if (node.hasParams()) {
                throw new Unsupported("a pass-through layer with parameters " + node.paramKeys());
            }
            return r.output().map(f::withLayout).orElse(f);
        }
        if (rule instanceof ChannelRule.FixedChannels r) {
            return fixed(node, r.why(), List.of(f), w);
        }
        throw new Unsupported("layer type " + type + " is not supported: " + ((ChannelRule.NotConvertible) rule).why());
    }

    /** A weight reading the input on one axis and emitting a new group on another, with an optional bias. */
    private Flow weighted(ModelNode node, String type, ChannelRule.Weighted r, Flow f, NodeWork w) throws Unsupported {
        expectKeys(node, Set.of(r.key()), Set.of("b"));
        if (!r.readsFlattened()) {
            requireUnflattened(f, "a " + type);
        }
        expectRank(node, r.key(), r.rank());
        member(w, node, r.key(), r.inAxis(), Role.CONSUMER, f);
        int out = handles.add(node.name(), Origin.LAYER, OptionalInt.empty(), List.of());
        Flow o = new Flow(out, 1, FlattenOrder.CHANNEL_BLOCKS, r.output());
        member(w, node, r.key(), r.outAxis(), Role.PRODUCER, o);
        bias(w, node, o, Role.PRODUCER);
        return o;
    }

    /** Per-channel filters: the output carries the input's group with {@code m} indices per channel. */
    private Flow depthwise(ModelNode node, String type, ChannelRule.Depthwise r, Flow f, NodeWork w)
            throws Unsupported {
        expectKeys(node, Set.of(r.key()), Set.of("b"));
        requireUnflattened(f, "a " + type);
        expectRank(node, r.key(), r.rank());
        member(w, node, r.key(), r.channelAxis(), Role.PER_CHANNEL, f);
        Flow o = new Flow(f.ref(), f.blockLength() * r.multiplier(), FlattenOrder.CHANNEL_BLOCKS, r.output());
        bias(w, node, o, Role.PER_CHANNEL);
        return o;
    }

    /**
     * Depthwise filters per input channel, then a pointwise weight that reads them ({@code m}
     * indices per input channel) and emits a new group.
     */
    private Flow separable(ModelNode node, String type, ChannelRule.Separable r, Flow f, NodeWork w)
            throws Unsupported {
        expectKeys(node, Set.of(r.depthwiseKey(), r.pointwiseKey()), Set.of("b"));
        requireUnflattened(f, "a " + type);
        expectRank(node, r.depthwiseKey(), 4);
        expectRank(node, r.pointwiseKey(), 4);
        member(w, node, r.depthwiseKey(), 1, Role.PER_CHANNEL, f);
        member(w, node, r.pointwiseKey(), 1, Role.CONSUMER,
                new Flow(f.ref(), f.blockLength() * r.multiplier(), FlattenOrder.CHANNEL_BLOCKS, f.layout()));
        int out = handles.add(node.name(), Origin.LAYER, OptionalInt.empty(), List.of());
        Flow o = new Flow(out, 1, FlattenOrder.CHANNEL_BLOCKS, r.output());
        member(w, node, r.pointwiseKey(), 0, Role.PRODUCER, o);
        bias(w, node, o, Role.PRODUCER);
        return o;
    }

    /** One value per channel for every parameter; the output is the input's group. */
    private Flow perChannel(ModelNode node, ChannelRule.PerChannel r, Flow f, NodeWork w) throws Unsupported {
        Set<String> keys = new LinkedHashSet<>(node.paramKeys());
        keys.removeAll(r.keys());
        if (!keys.isEmpty()) {
            throw new Unsupported("unexpected parameters " + keys + " (expected some of " + r.keys() + ")");
        }
        for (String key : node.paramKeys()) {
            member(w, node, key, vectorAxis(node, key), Role.PER_CHANNEL, f);
        }
        return f;
    }

    /** Accepted, with every group it reads and emits discrete. */
    private Flow fixed(ModelNode node, String why, List<Flow> ins, NodeWork w) {
        DiscreteCause cause = new DiscreteCause(Kind.CHANNELS_KEPT, node.name(), why);
        ins.forEach(f -> w.causes.put(f.ref(), cause));
        int h = handles.add(node.name(), Origin.OPAQUE, channelsOf(node.outputType().orElse(null)), List.of());
        w.causes.put(h, cause);
        return new Flow(h, 1, FlattenOrder.CHANNEL_BLOCKS, ActivationLayout.UNKNOWN);
    }

    // ------------------------------------------------------------------ vertices

    private Flow vertex(ModelNode node, List<Flow> ins, NodeWork w) throws Unsupported {
        GraphVertex v = LayerRegistry.unwrap(node.vertex().orElseThrow(() -> new Unsupported("a vertex node without a"
                + " vertex")));
        VertexKind kind = registry.vertexKindOf(v).orElseThrow(() -> new Unsupported("vertex type "
                + v.getClass().getSimpleName() + " is not supported"));
        switch (kind.rule()) {
            case PREPROCESSOR:
                requireSingleInput(ins);
                return preprocess(node, ((PreprocessorVertex) v).getPreProcessor(), ins.get(0), w);
            case ELEMENT_WISE:
                return tie((ElementWiseVertex) v, ins, w);
            case CONCATENATION:
                return concat(node, (MergeVertex) v, ins);
            default:
                requireSingleInput(ins);
                return ins.get(0);
        }
    }

    /** Residual addition (and other element-wise vertices): the inputs' groups become one. */
    private Flow tie(ElementWiseVertex v, List<Flow> ins, NodeWork w) throws Unsupported {
        if (ins.isEmpty()) {
            throw new Unsupported("an element-wise vertex without inputs");
        }
        Flow first = ins.get(0);
        boolean composite = handles.isComposite(first.ref());
        ActivationLayout layout = ActivationLayout.UNKNOWN;
        for (Flow f : ins) {
            if (f.blockLength() != first.blockLength() || f.order() != first.order()) {
                throw new Unsupported("element-wise " + v.getOp() + " of inputs with different channel layouts ("
                        + first.blockLength() + " " + first.order() + " vs " + f.blockLength() + " " + f.order() + ")");
            }
            if (handles.isComposite(f.ref()) != composite) {
                throw new Unsupported("element-wise " + v.getOp() + " of a concatenation and a non-concatenated"
                        + " activation: the latter's channels cannot be split into the concatenation's parts");
            }
            if (layout == ActivationLayout.UNKNOWN) {
                layout = f.layout();
            }
        }
        for (Flow f : ins.subList(1, ins.size())) {
            w.unions.add(new int[] {first.ref(), f.ref()});
            if (composite) {
                List<Integer> a = handles.partsOf(first.ref());
                List<Integer> b = handles.partsOf(f.ref());
                if (a.size() != b.size()) {
                    throw new Unsupported("element-wise " + v.getOp() + " of concatenations with " + a.size() + " and "
                            + b.size() + " parts");
                }
                for (int j = 0; j < a.size(); j++) {
                    w.unions.add(new int[] {a.get(j), b.get(j)});
                }
            }
        }
        return first.withLayout(layout);
    }

    /** A channel concatenation: a composite handle of its inputs' (parts') handles. */
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
                        + first.blockLength() + " " + first.order() + " vs " + f.blockLength() + " " + f.order() + ")");
            }
            if (f.layout() == ActivationLayout.UNKNOWN) {
                throw new Unsupported("the layout of its inputs is unknown, so the channel axis cannot be checked"
                        + " against merge axis " + v.getMergeAxis() + ". Fix: give the network's input types,"
                        + " IntegralWrapper.builder().inputTypes(...) (for the analysis alone: ModelView.of(graph,"
                        + " inputTypes))");
            }
            if (f.layout() != first.layout()) {
                throw new Unsupported("it concatenates " + first.layout() + " and " + f.layout() + " activations");
            }
            parts.addAll(handles.isComposite(f.ref()) ? handles.partsOf(f.ref()) : List.of(f.ref()));
        }
        int axis = first.layout().channelAxis().orElseThrow();
        if (v.getMergeAxis() != axis) {
            throw new Unsupported("it concatenates along axis " + v.getMergeAxis() + ", not along the channel axis "
                    + axis + " of its " + first.layout() + " inputs");
        }
        int h = handles.add(node.name(), Origin.CONCAT, OptionalInt.empty(), parts);
        return new Flow(h, first.blockLength(), FlattenOrder.CHANNEL_BLOCKS, first.layout());
    }

    // ------------------------------------------------------------------ preprocessors

    private Flow preprocess(ModelNode node, InputPreProcessor pre, Flow f, NodeWork w) throws Unsupported {
        if (pre instanceof CnnToFeedForwardPreProcessor p) {
            return flatten(node, p, f, w);
        }
        if (pre instanceof FeedForwardToCnnPreProcessor p && pre.getClass() == FeedForwardToCnnPreProcessor.class) {
            if (handles.get(f.ref()).origin() != Origin.INPUT || f.blockLength() != 1
                    || f.order() != FlattenOrder.CHANNEL_BLOCKS) {
                throw new Unsupported("FeedForwardToCnnPreProcessor is supported on a network input only");
            }
            w.checks.add(new SizeCheck(node.name() + " FeedForwardToCnnPreProcessor numChannels", f.ref(), 1,
                    p.getNumChannels()));
            return f.withLayout(ActivationLayout.NCHW);
        }
        if (pre.getClass() == RnnToFeedForwardPreProcessor.class) {
            return f.withLayout(ActivationLayout.FEED_FORWARD);
        }
        if (pre.getClass() == FeedForwardToRnnPreProcessor.class) {
            return f.withLayout(ActivationLayout.UNKNOWN);
        }
        throw new Unsupported("input preprocessor " + pre.getClass().getSimpleName() + " is not supported"
                + " (supported: " + SUPPORTED_PREPROCESSORS + ")");
    }

    /**
     * A flatten: NCHW gives each channel a contiguous block of {@code h·w} indices, NHWC
     * (channels-last) interleaves them with stride {@code C}.
     */
    private Flow flatten(ModelNode node, CnnToFeedForwardPreProcessor p, Flow f, NodeWork w) throws Unsupported {
        if (p.getClass() != CnnToFeedForwardPreProcessor.class) {
            throw new Unsupported("input preprocessor " + p.getClass().getSimpleName() + " is not supported");
        }
        long hw = p.getInputHeight() * p.getInputWidth();
        boolean nhwc = p.getFormat() == CNN2DFormat.NHWC;
        requireUnflattened(f, "a flatten (CnnToFeedForwardPreProcessor)");
        ActivationLayout expected = nhwc ? ActivationLayout.NHWC : ActivationLayout.NCHW;
        if (f.layout() != ActivationLayout.UNKNOWN && f.layout() != expected) {
            throw new Unsupported("its CnnToFeedForwardPreProcessor flattens " + p.getFormat() + " activations, but its"
                    + " input is " + f.layout());
        }
        if (hw > Integer.MAX_VALUE / Math.max(1, f.blockLength())) {
            throw new Unsupported("flattened block of " + hw + " values per channel is too large");
        }
        w.checks.add(new SizeCheck(node.name() + " CnnToFeedForwardPreProcessor numChannels", f.ref(),
                f.blockLength(), p.getNumChannels()));
        if (!nhwc) {
            return new Flow(f.ref(), (int) (f.blockLength() * hw), FlattenOrder.CHANNEL_BLOCKS,
                    ActivationLayout.FEED_FORWARD);
        }
        if (handles.isComposite(f.ref())) {
            throw new Unsupported("it flattens a concatenation channels-last (NHWC): each part's channels are"
                    + " interleaved with the stride of the whole concatenation");
        }
        if (f.blockLength() != 1) {
            throw new Unsupported("it flattens channels-last (NHWC) an activation with " + f.blockLength()
                    + " channels per group channel (depthwise multiplier)");
        }
        return new Flow(f.ref(), (int) hw, FlattenOrder.INTERLEAVED, ActivationLayout.FEED_FORWARD);
    }

    // ------------------------------------------------------------------ helpers

    private static void requireSingleInput(List<Flow> ins) throws Unsupported {
        if (ins.size() != 1) {
            throw new Unsupported("a single-input vertex with " + ins.size() + " inputs");
        }
    }

    private static void requireUnflattened(Flow f, String what) throws Unsupported {
        if (f.order() != FlattenOrder.CHANNEL_BLOCKS
                || f.layout() == ActivationLayout.FEED_FORWARD && f.blockLength() > 1) {
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
            throw new Unsupported("parameter " + key + " has shape " + Arrays.toString(shape) + ", expected rank "
                    + rank);
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
        throw new Unsupported("parameter " + key + " has shape " + Arrays.toString(s) + ", expected a vector");
    }

    private void bias(NodeWork w, ModelNode node, Flow out, Role role) throws Unsupported {
        if (node.paramKeys().contains("b")) {
            member(w, node, "b", vectorAxis(node, "b"), role, out);
        }
    }

    private static void member(NodeWork w, ModelNode node, String key, int axis, Role role, Flow f) {
        long[] shape = node.paramShape(key);
        w.members.add(new RawMember(node.name(), key, node.networkParamKey(key), axis, role, f.ref(), f.blockLength(),
                f.order(), shape[axis]));
    }

    private static ActivationLayout typeLayout(ModelNode node, ActivationLayout fallback) {
        ActivationLayout l = ActivationLayout.of(node.outputType().orElse(null));
        return l == ActivationLayout.UNKNOWN ? fallback : l;
    }

    private static OptionalInt channelsOf(InputType t) {
        long c = -1;
        if (t instanceof InputType.InputTypeConvolutional conv) {
            c = conv.getChannels();
        } else if (t instanceof InputType.InputTypeConvolutionalFlat flat) {
            c = flat.getDepth();
        } else if (t instanceof InputType.InputTypeFeedForward ff) {
            c = ff.getSize();
        } else if (t instanceof InputType.InputTypeRecurrent rnn) {
            c = rnn.getSize();
        }
        return c > 0 && c <= Integer.MAX_VALUE ? OptionalInt.of((int) c) : OptionalInt.empty();
    }
}
