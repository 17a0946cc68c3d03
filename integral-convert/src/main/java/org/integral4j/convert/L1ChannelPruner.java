package org.integral4j.convert;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.calibration.CalibrationSubject;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.convert.graph.GroupMember;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.kinds.ChannelRule;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.RebuiltNetwork;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline Integral Neural Networks are compared against (Solodskikh et al., CVPR 2023,
 * section 5): structured pruning by L1-norm channel selection without fine-tuning. The importance
 * of channel {@code c} of a group is the sum, over the group's weight tensors, of the mean
 * absolute value of the weights that belong to {@code c} (its output filter, its input slice,
 * its flatten block); each group keeps its most important channels (in their original order),
 * and the result is a plain DL4J network of the source's type, built with the same channel groups
 * as {@link IntegralWrapper} finds. (TorchIntegral's {@code L1Grid1D} keeps the least important
 * channels by mistake.)
 */
public final class L1ChannelPruner {

    private static final Logger LOG = LoggerFactory.getLogger(L1ChannelPruner.class);

    private final IntegralWrapper wrapper;
    private final LayerRegistry registry;

    private L1ChannelPruner(Builder b) {
        this.registry = b.options.layerRegistry();
        this.wrapper = IntegralWrapper.builder().analysisOptions(b.options).inputTypes(b.inputTypes).permute(false)
                .fuseBatchNorm(false).build();
    }

    /**
     * Starts a builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Channel importances of every continuous group.
     *
     * @param source the network (not modified)
     * @return group name to one importance per channel
     */
    public Map<String, double[]> importance(Model source) {
        IntegralWrapper.PreparedConversion p = wrapper.prepare(source);
        return importance(p);
    }

    private Map<String, double[]> importance(IntegralWrapper.PreparedConversion p) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (ChannelGroupSpec g : p.analysis().continuousGroups()) {
            if (g.isComposite()) {
                continue;
            }
            double[] score = new double[g.size()];
            for (GroupMember m : g.members()) {
                if (!isWeight(p.view(), m)) {
                    continue;
                }
                double[] perIndex = meanAbsAlong(p.store().get(m.node(), m.paramKey()), m.axis());
                for (int c = 0; c < g.size(); c++) {
                    double s = 0;
                    for (int q = 0; q < m.blockLength(); q++) {
                        s += perIndex[(int) m.axisIndex(c, q)];
                    }
                    score[c] += s / m.blockLength();
                }
            }
            out.put(g.name(), score);
        }
        return out;
    }

    /** Whether a member is an axis of its layer's weight (not a bias or a batch-norm vector). */
    private boolean isWeight(ModelView view, GroupMember m) {
        Layer layer = LayerRegistry.unwrap(view.node(m.node()).layer().orElseThrow());
        ChannelRule rule = registry.kindOf(layer).map(k -> k.channels(layer)).orElse(null);
        return rule instanceof ChannelRule.Weighted w && w.key().equals(m.paramKey())
                || rule instanceof ChannelRule.Depthwise d && d.key().equals(m.paramKey());
    }

    /** Mean of |x| over every axis but {@code axis}: one value per index of that axis. */
    private static double[] meanAbsAlong(INDArray x, int axis) {
        int[] others = new int[x.rank() - 1];
        for (int d = 0, k = 0; d < x.rank(); d++) {
            if (d != axis) {
                others[k++] = d;
            }
        }
        INDArray abs = Transforms.abs(x, true);
        return (others.length == 0 ? abs : abs.mean(others)).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /**
     * Prunes every continuous group to {@code round(ratio * size)} channels (at least 2).
     *
     * @param source the network (not modified)
     * @param ratio  width ratio in (0, 1]
     * @return a new, smaller plain network of the source's type
     */
    public Model prune(Model source, double ratio) {
        Checks.require(ratio > 0 && ratio <= 1, "L1ChannelPruner", "ratio must be in (0, 1], got %s.", ratio);
        IntegralWrapper.PreparedConversion p = wrapper.prepare(source);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroupSpec g : p.analysis().continuousGroups()) {
            if (!g.isComposite()) {
                sizes.put(g.name(), Math.max(2, (int) Math.round(ratio * g.size())));
            }
        }
        return prune(p, sizes);
    }

    /**
     * Prunes the named groups to the given sizes; other groups keep their channels.
     *
     * @param source the network (not modified)
     * @param sizes  group name to channel count (at least 1, at most the group's size)
     * @return a new, smaller plain network of the source's type
     */
    public Model prune(Model source, Map<String, Integer> sizes) {
        return prune(wrapper.prepare(source), sizes);
    }

    /**
     * The calibration subject of the pruned network (see
     * {@link org.integral4j.convert.calibration.CalibrationSubject}): the source as the reference,
     * the pruned network, and per group the selection of the kept channels. Used by
     * {@link org.integral4j.convert.calibration.Calibration#calibrateL1}.
     *
     * @param source the network (not modified)
     * @param sizes  group name to channel count; other groups keep their channels
     * @return the subject
     */
    public CalibrationSubject calibrationSubject(Model source, Map<String, Integer> sizes) {
        IntegralWrapper.PreparedConversion p = wrapper.prepare(source);
        Selection s = select(p, sizes);
        return CalibrationSupport.forSelection(p, Dl4jNetwork.of(source), build(p, s), s.kept(), s.sizes());
    }

    /**
     * Uniform sizes {@code round(ratio * size)} (at least 2) of every continuous group, as
     * {@link #prune(Model, double)} uses them.
     *
     * @param source the network (not modified)
     * @param ratio  width ratio in (0, 1]
     * @return group name to size
     */
    public Map<String, Integer> uniformSizes(Model source, double ratio) {
        Checks.require(ratio > 0 && ratio <= 1, "L1ChannelPruner", "ratio must be in (0, 1], got %s.", ratio);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroupSpec g : wrapper.prepare(source).analysis().continuousGroups()) {
            if (!g.isComposite()) {
                sizes.put(g.name(), Math.max(2, (int) Math.round(ratio * g.size())));
            }
        }
        return sizes;
    }

    /** The kept channels (ascending) and the resulting size of every group, composites included. */
    private record Selection(Map<String, int[]> kept, Map<String, Integer> sizes) {
    }

    private Model prune(IntegralWrapper.PreparedConversion p, Map<String, Integer> requested) {
        return build(p, select(p, requested)).network().model();
    }

    private Selection select(IntegralWrapper.PreparedConversion p, Map<String, Integer> requested) {
        Map<String, double[]> scores = importance(p);
        for (String name : requested.keySet()) {
            Checks.require(scores.containsKey(name), "L1ChannelPruner", "unknown or discrete group '%s'; groups: %s.",
                    name, scores.keySet());
        }
        Map<String, int[]> kept = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            double[] s = e.getValue();
            int k = requested.getOrDefault(e.getKey(), s.length);
            Checks.require(k >= 1 && k <= s.length, "L1ChannelPruner", "group '%s' has %d channels; cannot keep %d.",
                    e.getKey(), s.length, k);
            Integer[] order = new Integer[s.length];
            for (int i = 0; i < s.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            int[] keep = new int[k];
            for (int i = 0; i < k; i++) {
                keep[i] = order[i];
            }
            Arrays.sort(keep);
            kept.put(e.getKey(), keep);
            sizes.put(e.getKey(), k);
        }
        for (ChannelGroupSpec g : p.analysis().continuousGroups()) {
            if (g.isComposite()) {
                int total = 0;
                for (String part : g.parts()) {
                    total += sizes.get(part);
                }
                sizes.put(g.name(), total);
            }
        }
        return new Selection(kept, sizes);
    }

    private RebuiltNetwork build(IntegralWrapper.PreparedConversion p, Selection selection) {
        Map<String, int[]> kept = selection.kept();
        Map<String, Integer> sizes = selection.sizes();
        LOG.info("L1 channel selection: sizes {}", sizes);
        Map<String, Map<Integer, TreeSet<Long>>> keepIdx = new HashMap<>();
        Map<String, Map<Integer, TreeSet<Long>>> covered = new HashMap<>();
        for (ChannelGroupSpec g : p.analysis().continuousGroups()) {
            if (g.isComposite()) {
                continue;
            }
            int[] keep = kept.get(g.name());
            for (GroupMember m : g.members()) {
                String id = m.node() + "/" + m.paramKey();
                TreeSet<Long> k = keepIdx.computeIfAbsent(id, x -> new HashMap<>()).computeIfAbsent(m.axis(),
                        x -> new TreeSet<>());
                TreeSet<Long> c = covered.computeIfAbsent(id, x -> new HashMap<>()).computeIfAbsent(m.axis(),
                        x -> new TreeSet<>());
                for (int ch = 0; ch < g.size(); ch++) {
                    for (int q = 0; q < m.blockLength(); q++) {
                        c.add(m.axisIndex(ch, q));
                    }
                }
                for (int ch : keep) {
                    for (int q = 0; q < m.blockLength(); q++) {
                        k.add(m.axisIndex(ch, q));
                    }
                }
            }
        }
        ParamTransfer.Source source = (r, key, shape) -> {
            INDArray x = p.store().get(r.name(), key);
            String id = r.name() + "/" + key;
            Map<Integer, TreeSet<Long>> byAxis = keepIdx.getOrDefault(id, Map.of());
            for (Map.Entry<Integer, TreeSet<Long>> e : byAxis.entrySet()) {
                int axis = e.getKey();
                TreeSet<Long> indices = new TreeSet<>(e.getValue());
                for (long i = 0; i < x.size(axis); i++) {
                    if (!covered.get(id).get(axis).contains(i)) {
                        indices.add(i);
                    }
                }
                INDArrayIndex[] ix = new INDArrayIndex[x.rank()];
                for (int d = 0; d < x.rank(); d++) {
                    ix[d] = d == axis ? NDArrayIndex.indices(indices.stream().mapToLong(Long::longValue).toArray())
                            : NDArrayIndex.all();
                }
                x = x.get(ix).dup('c');
            }
            return x.reshape(shape);
        };
        return Exporter.export(p.sourceConfiguration(), p.records(), sizes, source);
    }

    /** Builds an {@link L1ChannelPruner}. */
    public static final class Builder {
        private AnalysisOptions options = AnalysisOptions.defaults();
        private InputType[] inputTypes = new InputType[0];

        private Builder() {
        }

        /**
         * Which axes are continuous (prunable), as for {@link IntegralWrapper}.
         *
         * @param options the analysis options
         * @return this builder
         */
        public Builder analysisOptions(AnalysisOptions options) {
            this.options = Checks.requireNonNull("L1ChannelPruner", "analysisOptions", options);
            return this;
        }

        /**
         * The network's input types (for graphs whose concatenations read a network input).
         *
         * @param types one per network input
         * @return this builder
         */
        public Builder inputTypes(InputType... types) {
            this.inputTypes = types.clone();
            return this;
        }

        /**
         * Builds the pruner.
         *
         * @return the pruner
         */
        public L1ChannelPruner build() {
            return new L1ChannelPruner(this);
        }
    }
}
