package org.integral4j.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupAnalyzer;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.convert.graph.GroupMember;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.graph.NodeGroups;
import org.integral4j.convert.kinds.ConversionContext;
import org.integral4j.convert.kinds.InputBlocks;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkTransform;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.network.RebuiltNetwork;
import org.integral4j.convert.network.Replacement;
import org.integral4j.convert.permutation.ChannelPermutation;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.convert.permutation.TspSolver;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralFlattenPreProcessor;
import org.integral4j.layers.conf.QuadratureChoice;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained DL4J network ({@code MultiLayerNetwork} or {@code ComputationGraph}, e.g. from
 * DL4J's Keras import) into an {@link IntegralModel} that reproduces it at full size and can be
 * resized, trained at random widths and exported as a smaller plain DL4J network.
 *
 * <p>Steps: (1) a read-only view of the network and its channel groups (channels that must move
 * together: convolution outputs, batch norms, the consumers' inputs, residual partners,
 * concatenations, flatten blocks); (2) batch norms folded into the convolution before them where
 * that is exact; (3) the channels of every continuous group permuted by an open-path TSP so that
 * the weights vary smoothly along the channel axis (Solodskikh et al., CVPR 2023, section 3.4);
 * (4) integral layers whose knot tensors are set by the right inverse, so the integral network at
 * full size computes what the source computes. The source network is never modified.
 *
 * <p>Fail fast: before any of these steps every parameter of the source is checked to be finite
 * ({@link NonFiniteParameterException} naming the layer and parameter), and requested
 * {@linkplain Builder#targetSizes target sizes} are checked right after the analysis, before
 * folding and permutation ({@link InvalidSizeException}).
 *
 * <pre>{@code
 * IntegralModel inn = IntegralWrapper.builder().build().wrapModel(trainedNet);
 * inn.resize(0.5);                                  // every group at half width
 * MultiLayerNetwork smaller = (MultiLayerNetwork) inn.toDiscrete();
 * }</pre>
 */
public final class IntegralWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(IntegralWrapper.class);

    private final AnalysisOptions analysisOptions;
    private final boolean fuseBatchNorm;
    private final boolean permute;
    private final TspSolver solver;
    private final QuadratureChoice quadrature;
    private final double lambdaScale;
    private final long seed;
    private final InputType[] inputTypes;
    private final ConversionListener listener;
    private final TargetSizes targetSizes;

    private IntegralWrapper(Builder b) {
        this.analysisOptions = b.analysisOptions;
        this.fuseBatchNorm = b.fuseBatchNorm;
        this.permute = b.permute;
        this.solver = b.solver;
        this.quadrature = b.quadrature;
        this.lambdaScale = b.lambdaScale;
        this.seed = b.seed;
        this.inputTypes = b.inputTypes;
        this.listener = b.listener;
        this.targetSizes = b.targetSizes;
    }

    /**
     * Starts a builder with the defaults: reference quadrature, knots at full resolution, batch-norm
     * fusion and TSP permutation on, seed 42.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Converts a network.
     *
     * @param model a trained {@code MultiLayerNetwork} or {@code ComputationGraph} (not modified)
     * @return the integral model, bound to its channel groups, at full size or at the
     *         {@linkplain Builder#targetSizes target sizes}
     * @throws NonFiniteParameterException when a parameter of the source holds NaN or infinite values
     * @throws InvalidSizeException        when the target sizes name an unknown group or a size out of range
     * @throws IllegalArgumentException    when the network cannot be converted (the message says why and how
     *                                     to fix it)
     */
    public IntegralModel wrapModel(Model model) {
        PreparedConversion p = prepare(model);
        long t0 = System.nanoTime();
        RebuiltNetwork built = p.sourceConfiguration().rebuild(integralTransform(p));
        List<NodeRecord> records = withLayers(p.records(), built.layersOf());
        phase("build network", t0);

        t0 = System.nanoTime();
        ChannelGroups groups = groupsOf(p.analysis());
        IntegralNetworks.bind(built.network().model(), groups);
        ParamTransfer.toIntegral(built.network(), records, p.store());
        phase("knot tensors (right inverse)", t0);
        IntegralModel inn = new IntegralModel(built.network(), groups, p.analysis(), records,
                p.sourceConfiguration().copy(), registry());
        if (!targetSizes.isEmpty()) {
            inn.resize(targetSizes);
        }
        return inn;
    }

    /**
     * The source network with batch norms folded (when enabled) and channels permuted, as a plain
     * network of the same type: it computes what the source computes. Useful to inspect the
     * permutation; {@link #wrapModel} does this internally.
     *
     * @param model the source network (not modified)
     * @return a new plain network
     */
    public Model permutedDiscrete(Model model) {
        PreparedConversion p = prepare(model);
        return Exporter.export(p.sourceConfiguration(), p.records(), Map.of(), ParamTransfer.fromStore(p.store()))
                .network().model();
    }

    /**
     * What the steps before building the integral network produce: the view and analysis of the
     * source, its parameters folded and permuted (copies; the source is not modified), and how
     * each node will be converted.
     *
     * @param view     the source network
     * @param analysis its channel groups
     * @param store    the folded, permuted parameters in DL4J's layouts
     * @param records  how each node is converted (no integral layers yet)
     */
    record PreparedConversion(ModelView view, ChannelGroupAnalysis analysis, ParamStore store,
                              List<NodeRecord> records) {

        /** @return the source network's configuration (the network's own: do not modify it) */
        Dl4jConfiguration sourceConfiguration() {
            return view.network().configuration();
        }
    }

    /**
     * Analysis, batch-norm folding and permutation, on copies of the source's parameters.
     *
     * @param model the source network (not modified)
     * @return the prepared conversion
     */
    PreparedConversion prepare(Model model) {
        Dl4jNetwork network = Dl4jNetwork.of(model);
        long t0 = System.nanoTime();
        requireFinite(network);
        ModelView view = ModelView.of(network, inputTypes);
        ChannelGroupAnalysis analysis = ChannelGroupAnalyzer.analyze(view,
                analysisOptions.toBuilder().requireIntegralLayers(true).build());
        checkTargetSizes(analysis);
        ParamStore store = ParamStore.copyOf(view, registry());
        phase("analysis", t0);
        LOG.info("{} channel group(s), {} continuous", analysis.groups().size(), analysis.continuousGroups().size());

        Map<String, String> fused = fuseBatchNorm ? BatchNormFusion.find(view, registry()) : Map.of();
        // Permute first (the batch norms' parameters are members of their groups and move with their
        // channels), then fold: folding may create a convolution bias that no group lists.
        t0 = System.nanoTime();
        if (permute) {
            permuteGroups(analysis, store, fused);
        }
        phase("permutation", t0);

        t0 = System.nanoTime();
        BatchNormFusion.fold(view, store, fused);
        phase("batch-norm fusion (" + fused.size() + " folded)", t0);
        return new PreparedConversion(view, analysis, store, records(view, analysis, fused));
    }

    /** How each node is converted, from the analysis and the folded pairs. */
    private List<NodeRecord> records(ModelView view, ChannelGroupAnalysis analysis, Map<String, String> fused) {
        List<NodeRecord> records = new ArrayList<>();
        for (ModelNode node : view.nodes()) {
            LayerKind kind = node.layer().flatMap(registry()::kindOf).orElse(LayerKinds.OTHER);
            NodeGroups ng = node.kind() != NodeSpec.Kind.INPUT ? analysis.node(node.name()) : null;
            String in = ng != null && !ng.inputGroups().isEmpty() && ng.isInputContinuous(0) ? ng.inputGroups().get(0)
                    : null;
            String out = ng != null && ng.isOutputContinuous() ? ng.outputGroup() : null;
            records.add(new NodeRecord(node.name(), node.kind(), kind, in, out, fused.get(node.name()),
                    fused.containsValue(node.name()), inputBlocks(analysis, node.name()), List.of()));
        }
        return records;
    }

    private LayerRegistry registry() {
        return analysisOptions.layerRegistry();
    }

    /**
     * Checks every parameter of every layer for NaN and infinite values, on the live arrays
     * (nothing is copied or modified).
     *
     * @param network the source network
     * @throws NonFiniteParameterException naming the first layer and parameter with such values
     */
    static void requireFinite(Dl4jNetwork network) {
        for (NodeSpec node : network.nodes()) {
            if (node.kind() != NodeSpec.Kind.LAYER) {
                continue;
            }
            for (Map.Entry<String, INDArray> e : network.layer(node.name()).paramTable(false).entrySet()) {
                INDArray a = e.getValue();
                if (a == null || a.isEmpty() || !a.dataType().isFPType()) {
                    continue;
                }
                long nan = count(a, Conditions.isNan());
                long inf = count(a, Conditions.isInfinite());
                if (nan + inf > 0) {
                    long first = BooleanIndexing.firstIndex(a.reshape(a.length()), Conditions.notFinite()).getLong(0);
                    throw new NonFiniteParameterException(node.name(), e.getKey(), a.shape(), nan, inf, first);
                }
            }
        }
    }

    private static long count(INDArray a, Condition condition) {
        return Nd4j.getExecutioner().exec(new MatchCondition(a, condition)).getLong(0);
    }

    /** The target sizes against the analysis's resizable groups (the groups the model will have). */
    private void checkTargetSizes(ChannelGroupAnalysis analysis) {
        if (targetSizes.isEmpty()) {
            return;
        }
        Map<String, SizeRules.Range> ranges = new LinkedHashMap<>();
        for (ChannelGroupSpec g : analysis.continuousGroups()) {
            if (!g.isComposite()) {
                ranges.put(g.name(), new SizeRules.Range(g.name(), g.size(), 1));
            }
        }
        SizeRules.resolve(targetSizes, ranges, name -> SizeRules.whyNotResizable(analysis, name));
    }

    /** The flatten blocks of a dense layer's input axis, from its consumer member of the weight. */
    private static InputBlocks inputBlocks(ChannelGroupAnalysis analysis, String node) {
        for (ChannelGroupSpec g : analysis.groups()) {
            for (GroupMember m : g.members(GroupMember.Role.CONSUMER)) {
                if (m.node().equals(node) && m.paramKey().equals("W") && m.blockLength() > 1) {
                    return new InputBlocks(m.blockLength(), m.flattenOrder());
                }
            }
        }
        return InputBlocks.NONE;
    }

    private void permuteGroups(ChannelGroupAnalysis analysis, ParamStore store, Map<String, String> fused) {
        List<ChannelGroupSpec> targets = new ArrayList<>();
        for (ChannelGroupSpec g : analysis.continuousGroups()) {
            if (!g.isComposite()) {
                targets.add(g);
            }
        }
        int index = 0;
        for (ChannelGroupSpec g : targets) {
            index++;
            List<GroupMember> members = new ArrayList<>();
            List<ChannelSlices> slices = new ArrayList<>();
            List<ChannelSlices> distanceSlices = new ArrayList<>();
            for (GroupMember m : g.members()) {
                members.add(m);
                ChannelSlices s = m.toSlices(store.get(m.node(), m.paramKey()));
                slices.add(s);
                if (!fused.containsKey(m.node())) {
                    distanceSlices.add(s); // a batch norm to be folded is not part of the weights' smoothness
                }
            }
            TspResult result = solver.solve(distanceSlices.isEmpty() ? slices : distanceSlices);
            if (!result.isIdentity()) {
                // Slices are re-read from the store: a layer whose input and output channels are both in
                // this group (a convolution inside a residual loop) is a member twice, and its second
                // axis must be permuted on top of the first, not on the unpermuted original.
                for (GroupMember m : members) {
                    store.put(m.node(), m.paramKey(),
                            ChannelPermutation.apply(m.toSlices(store.get(m.node(), m.paramKey())), result.order()));
                }
            }
            LOG.info("permuted group {}/{} '{}' ({} channels): path length {} -> {}", index, targets.size(), g.name(),
                    g.size(), String.format("%.4g", result.lengthBefore()), String.format("%.4g", result.lengthAfter()));
            listener.groupPermuted(g.name(), index, targets.size(), result);
        }
    }

    /**
     * What each source node becomes in the integral network: folded batch norms are removed,
     * convertible layers become their kind's integral layers (see {@link LayerKind#integralLayers}),
     * everything else is kept; flattens become resizable.
     */
    private NetworkTransform integralTransform(PreparedConversion p) {
        Map<String, NodeRecord> byName = new LinkedHashMap<>();
        for (NodeRecord r : p.records()) {
            byName.put(r.name(), r);
        }
        return new NetworkTransform() {
            @Override
            public Replacement layer(NodeSpec node, Layer layer) {
                NodeRecord r = byName.get(node.name());
                if (r.fusedInto() != null) {
                    return Replacement.remove();
                }
                boolean discrete = r.inGroup() == null && r.outGroup() == null;
                if (!r.kind().isConvertible() || discrete && !r.kind().convertsWhenDiscrete()) {
                    return Replacement.keep();
                }
                ConversionContext context = new ConversionContext(r.name(), r.inGroup(), r.outGroup(),
                        r.receivesBatchNorm(), r.inBlocks(), LayerRegistry.isFrozen(layer), quadrature, lambdaScale);
                return Replacement.chain(r.kind().integralLayers(LayerRegistry.unwrap(layer), context));
            }

            @Override
            public InputPreProcessor preProcessor(NodeSpec node, InputPreProcessor original) {
                return resizable(original);
            }

            @Override
            public GraphVertex vertex(NodeSpec node, GraphVertex original) {
                if (original instanceof PreprocessorVertex pv) {
                    return new PreprocessorVertex(resizable(pv.getPreProcessor()));
                }
                return original.clone();
            }
        };
    }

    /** DL4J's flatten replaced by one that accepts any channel count (DL4J's checks the count). */
    private static InputPreProcessor resizable(InputPreProcessor pre) {
        if (pre instanceof CnnToFeedForwardPreProcessor p) {
            return new IntegralFlattenPreProcessor(p.getInputHeight(), p.getInputWidth(), p.getFormat());
        }
        return pre == null ? null : pre.clone();
    }

    private static List<NodeRecord> withLayers(List<NodeRecord> records, Map<String, List<String>> layers) {
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : records) {
            out.add(r.withLayers(layers.getOrDefault(r.name(), List.of())));
        }
        return out;
    }

    private ChannelGroups groupsOf(ChannelGroupAnalysis analysis) {
        ChannelGroups groups = new ChannelGroups(seed);
        for (ChannelGroupSpec g : analysis.continuousGroups()) {
            if (!g.isComposite()) {
                groups.add(g.name(), g.size());
            }
        }
        for (ChannelGroupSpec g : analysis.continuousGroups()) {
            if (g.isComposite()) {
                groups.addComposite(g.name(), g.parts().toArray(new String[0]));
            }
        }
        return groups;
    }

    private void phase(String name, long startNanos) {
        double ms = (System.nanoTime() - startNanos) / 1e6;
        LOG.info("conversion phase '{}': {} ms", name, String.format("%.1f", ms));
        listener.phaseDone(name, ms);
    }

    /** Builds an {@link IntegralWrapper}. */
    public static final class Builder {
        private AnalysisOptions analysisOptions = AnalysisOptions.defaults();
        private boolean fuseBatchNorm = true;
        private boolean permute = true;
        private TspSolver solver = TspSolver.defaults();
        private QuadratureChoice quadrature = QuadratureChoice.REFERENCE;
        private double lambdaScale = 1.0;
        private long seed = 42;
        private InputType[] inputTypes = new InputType[0];
        private ConversionListener listener = new ConversionListener() {
        };
        private TargetSizes targetSizes = TargetSizes.builder().build();

        private Builder() {
        }

        /**
         * Which axes are continuous, by layer name; how unsupported layers are treated.
         *
         * @param options the analysis options
         * @return this builder
         */
        public Builder analysisOptions(AnalysisOptions options) {
            this.analysisOptions = Checks.requireNonNull("IntegralWrapper", "analysisOptions", options);
            return this;
        }

        /**
         * Fold batch norms into the convolution before them where exact (default true); others
         * become integral batch norms.
         *
         * @param fuse whether to fold
         * @return this builder
         */
        public Builder fuseBatchNorm(boolean fuse) {
            this.fuseBatchNorm = fuse;
            return this;
        }

        /**
         * Permute channels by TSP before converting (default true).
         *
         * @param permute whether to permute
         * @return this builder
         */
        public Builder permute(boolean permute) {
            this.permute = permute;
            return this;
        }

        /**
         * The TSP solver (seed, restarts, time limit).
         *
         * @param solver the solver
         * @return this builder
         */
        public Builder tspSolver(TspSolver solver) {
            this.solver = Checks.requireNonNull("IntegralWrapper", "tspSolver", solver);
            return this;
        }

        /**
         * Where quadrature weights apply (default: TorchIntegral's rule).
         *
         * @param choice the choice
         * @return this builder
         */
        public Builder quadrature(QuadratureChoice choice) {
            this.quadrature = Checks.requireNonNull("IntegralWrapper", "quadrature", choice);
            return this;
        }

        /**
         * Knots per channel of the knot tensors (default 1: the full size).
         *
         * @param scale positive scale
         * @return this builder
         */
        public Builder lambdaScale(double scale) {
            Checks.require(scale > 0, "IntegralWrapper", "lambdaScale must be positive, got %s.", scale);
            this.lambdaScale = scale;
            return this;
        }

        /**
         * Seed of the random training sizes.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The network's input types; needed for graphs whose concatenations read a network input.
         *
         * @param types one per network input
         * @return this builder
         */
        public Builder inputTypes(InputType... types) {
            this.inputTypes = Checks.requireNonNull("IntegralWrapper", "inputTypes", types).clone();
            return this;
        }

        /**
         * Receives progress (besides the SLF4J log).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ConversionListener listener) {
            this.listener = Checks.requireNonNull("IntegralWrapper", "listener", listener);
            return this;
        }

        /**
         * The sizes the converted model should have (default: full size). They are checked right
         * after the analysis, before batch-norm folding and the channel-ordering search, so a
         * wrong group name or size fails in milliseconds rather than after the whole conversion;
         * {@link #wrapModel} returns the model resized to them.
         *
         * @param target the sizes
         * @return this builder
         */
        public Builder targetSizes(TargetSizes target) {
            this.targetSizes = Checks.requireNonNull("IntegralWrapper", "targetSizes", target);
            return this;
        }

        /**
         * Builds the wrapper.
         *
         * @return the wrapper
         */
        public IntegralWrapper build() {
            return new IntegralWrapper(this);
        }
    }
}
