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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupAnalyzer;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.convert.graph.GroupMember;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.graph.NodeGroups;
import org.integral4j.convert.permutation.ChannelPermutation;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.convert.permutation.TspSolver;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.QuadratureChoice;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained DL4J network ({@link MultiLayerNetwork} or {@link ComputationGraph}, e.g. from
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
     * @param model a trained {@link MultiLayerNetwork} or {@link ComputationGraph} (not modified)
     * @return the integral model, bound to its channel groups, at full size or at the
     *         {@linkplain Builder#targetSizes target sizes}
     * @throws NonFiniteParameterException when a parameter of the source holds NaN or infinite values
     * @throws InvalidSizeException        when the target sizes name an unknown group or a size out of range
     * @throws IllegalArgumentException    when the network cannot be converted (the message says why and how
     *                                     to fix it)
     */
    public IntegralModel wrapModel(Model model) {
        Prepared p = prepare(model);
        long t0 = System.nanoTime();
        NetworkRebuilder.Transform transform = integralTransform(p);
        NetworkRebuilder.Result built = p.view.isGraph()
                ? NetworkRebuilder.rebuild(p.view.computationGraph().getConfiguration(), p.sourceNodes, transform)
                : NetworkRebuilder.rebuild(p.view.multiLayerNetwork().getLayerWiseConfigurations(), p.sourceNodes,
                transform);
        List<NodeRecord> records = withLayers(p.records, built.layers());
        phase("build network", t0);

        t0 = System.nanoTime();
        ChannelGroups groups = groupsOf(p.analysis);
        IntegralNetworks.bind(built.network(), groups);
        ParamTransfer.toIntegral(built.network(), records, p.store);
        phase("knot tensors (right inverse)", t0);
        Object sourceConf = p.view.isGraph() ? p.view.computationGraph().getConfiguration().clone()
                : p.view.multiLayerNetwork().getLayerWiseConfigurations().clone();
        IntegralModel inn = new IntegralModel(built.network(), groups, p.analysis, records, sourceConf);
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
        Prepared p = prepare(model);
        Object conf = p.view.isGraph() ? p.view.computationGraph().getConfiguration()
                : p.view.multiLayerNetwork().getLayerWiseConfigurations();
        return Exporter.export(conf, p.sourceNodes, p.records, Map.of(), ParamTransfer.fromStore(p.store));
    }

    /** What the steps before building the integral network produce. */
    static final class Prepared {
        ModelView view;
        ChannelGroupAnalysis analysis;
        ParamStore store;
        List<NetworkRebuilder.SourceNode> sourceNodes;
        List<NodeRecord> records;
    }

    /**
     * Analysis, batch-norm folding and permutation, on copies of the source's parameters.
     *
     * @param model the source network (not modified)
     * @return the prepared conversion
     */
    Prepared prepare(Model model) {
        Checks.require(model instanceof MultiLayerNetwork || model instanceof ComputationGraph, "IntegralWrapper",
                "expected a MultiLayerNetwork or ComputationGraph, got %s.",
                model == null ? "null" : model.getClass().getName());
        Prepared p = new Prepared();
        long t0 = System.nanoTime();
        requireFinite(model);
        if (model instanceof MultiLayerNetwork mln) {
            p.view = inputTypes.length > 0 ? ModelView.of(mln, inputTypes[0]) : ModelView.of(mln);
        } else {
            p.view = inputTypes.length > 0 ? ModelView.of((ComputationGraph) model, inputTypes)
                    : ModelView.of((ComputationGraph) model);
        }
        p.analysis = ChannelGroupAnalyzer.analyze(p.view, analysisOptions);
        checkTargetSizes(p.analysis);
        p.store = ParamStore.copyOf(p.view);
        phase("analysis", t0);
        LOG.info("{} channel group(s), {} continuous", p.analysis.groups().size(), p.analysis.continuousGroups().size());

        Map<String, String> fused = fuseBatchNorm ? BatchNormFusion.find(p.view) : Map.of();
        // Permute first (the batch norms' parameters are members of their groups and move with their
        // channels), then fold: folding may create a convolution bias that no group lists.
        t0 = System.nanoTime();
        if (permute) {
            permuteGroups(p.analysis, p.store, fused);
        }
        phase("permutation", t0);

        t0 = System.nanoTime();
        BatchNormFusion.fold(p.view, p.store, fused);
        phase("batch-norm fusion (" + fused.size() + " folded)", t0);

        p.sourceNodes = new ArrayList<>();
        p.records = new ArrayList<>();
        for (ModelNode node : p.view.nodes()) {
            NetworkRebuilder.SourceNode source = new NetworkRebuilder.SourceNode(node.name(),
                    p.view.isGraph() ? -1 : node.index(), sourceKind(node));
            p.sourceNodes.add(source);
            LayerKind kind = node.layer().map(LayerKind::of).orElse(LayerKind.OTHER);
            NodeGroups ng = node.kind() != ModelNode.Kind.INPUT ? p.analysis.node(node.name()) : null;
            String in = ng != null && !ng.inputGroups().isEmpty() && ng.isInputContinuous(0) ? ng.inputGroups().get(0)
                    : null;
            String out = ng != null && ng.isOutputContinuous() ? ng.outputGroup() : null;
            if (kind == LayerKind.OTHER && node.hasParams() && (in != null || out != null)) {
                throw new IllegalArgumentException("node '" + node.name() + "' (" + node.typeName() + ") has "
                        + "parameters on a continuous channel axis but no integral counterpart (supported: "
                        + "ConvolutionLayer, Convolution1DLayer, DepthwiseConvolution2D, DenseLayer, OutputLayer, "
                        + "BatchNormalization). Keep its channels discrete with AnalysisOptions.builder()"
                        + ".forceDiscrete(\"" + node.name() + "\").");
            }
            int[] block = inputBlocks(p.analysis, node.name());
            p.records.add(new NodeRecord(source, kind, in, out, fused.get(node.name()),
                    fused.containsValue(node.name()), block[0], block[1] == 1, List.of()));
        }
        return p;
    }

    /**
     * Checks every parameter of every layer for NaN and infinite values, on the live arrays
     * (nothing is copied or modified).
     *
     * @param model the source network
     * @throws NonFiniteParameterException naming the first layer and parameter with such values
     */
    static void requireFinite(Model model) {
        org.deeplearning4j.nn.api.Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers()
                : ((ComputationGraph) model).getLayers();
        Checks.require(layers != null, "IntegralWrapper", "the network is not initialised; call init() first.");
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.api.Layer layer = layers[i];
            String name = layer.conf() == null || layer.conf().getLayer() == null ? null
                    : layer.conf().getLayer().getLayerName();
            if (name == null || name.isEmpty()) {
                name = String.valueOf(i);
            }
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : layer.paramTable(false).entrySet()) {
                org.nd4j.linalg.api.ndarray.INDArray a = e.getValue();
                if (a == null || a.isEmpty() || !a.dataType().isFPType()) {
                    continue;
                }
                long nan = count(a, org.nd4j.linalg.indexing.conditions.Conditions.isNan());
                long inf = count(a, org.nd4j.linalg.indexing.conditions.Conditions.isInfinite());
                if (nan + inf > 0) {
                    long first = org.nd4j.linalg.indexing.BooleanIndexing.firstIndex(a.reshape(a.length()),
                            org.nd4j.linalg.indexing.conditions.Conditions.notFinite()).getLong(0);
                    throw new NonFiniteParameterException(name, e.getKey(), a.shape(), nan, inf, first);
                }
            }
        }
    }

    private static long count(org.nd4j.linalg.api.ndarray.INDArray a,
                              org.nd4j.linalg.indexing.conditions.Condition condition) {
        return org.nd4j.linalg.factory.Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(a, condition)).getLong(0);
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

    /** Flatten blocks of a dense layer's input axis: {@code {features per channel, channels-last ? 1 : 0}}. */
    private static int[] inputBlocks(ChannelGroupAnalysis analysis, String node) {
        for (ChannelGroupSpec g : analysis.groups()) {
            for (GroupMember m : g.members(GroupMember.Role.CONSUMER)) {
                if (m.node().equals(node) && m.paramKey().equals("W") && m.blockLength() > 1) {
                    return new int[] {m.blockLength(),
                        m.flattenOrder() == ChannelSlices.FlattenOrder.INTERLEAVED ? 1 : 0};
                }
            }
        }
        return new int[] {1, 0};
    }

    private static NetworkRebuilder.SourceNode.Kind sourceKind(ModelNode node) {
        switch (node.kind()) {
            case INPUT:
                return NetworkRebuilder.SourceNode.Kind.INPUT;
            case LAYER:
                return NetworkRebuilder.SourceNode.Kind.LAYER;
            default:
                return NetworkRebuilder.SourceNode.Kind.VERTEX;
        }
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
                for (int i = 0; i < members.size(); i++) {
                    GroupMember m = members.get(i);
                    store.put(m.node(), m.paramKey(), ChannelPermutation.apply(slices.get(i), result.order()));
                }
            }
            LOG.info("permuted group {}/{} '{}' ({} channels): path length {} -> {}", index, targets.size(), g.name(),
                    g.size(), String.format("%.4g", result.lengthBefore()), String.format("%.4g", result.lengthAfter()));
            listener.groupPermuted(g.name(), index, targets.size(), result);
        }
    }

    private NetworkRebuilder.Transform integralTransform(Prepared p) {
        Map<String, NodeRecord> byName = new LinkedHashMap<>();
        for (NodeRecord r : p.records) {
            byName.put(r.name(), r);
        }
        Conversions.IntegralSettings settings = new Conversions.IntegralSettings(quadrature, lambdaScale);
        return new NetworkRebuilder.Transform() {
            @Override
            public List<Layer> layers(NetworkRebuilder.SourceNode node, Layer layer) {
                NodeRecord r = byName.get(node.name());
                if (r.fusedInto() != null) {
                    return List.of();
                }
                if (r.kind() == LayerKind.OTHER || (r.kind() == LayerKind.BATCH_NORM && r.outGroup() == null)) {
                    return null;
                }
                return Conversions.integralLayers(r, layer, settings);
            }

            @Override
            public InputPreProcessor preProcessor(NetworkRebuilder.SourceNode node, InputPreProcessor original) {
                return Conversions.resizable(original);
            }

            @Override
            public GraphVertex vertex(NetworkRebuilder.SourceNode node, GraphVertex original) {
                if (original instanceof PreprocessorVertex pv) {
                    return new PreprocessorVertex(Conversions.resizable(pv.getPreProcessor()));
                }
                return original.clone();
            }
        };
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
