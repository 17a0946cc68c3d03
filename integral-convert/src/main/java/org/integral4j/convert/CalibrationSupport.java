package org.integral4j.convert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.budget.CostModel;
import org.integral4j.convert.calibration.CalibrationSubject;
import org.integral4j.convert.calibration.LayerLink;
import org.integral4j.convert.calibration.RidgeSolver;
import org.integral4j.convert.kinds.ChannelRule;
import org.integral4j.convert.kinds.LayerKind;
import org.integral4j.convert.kinds.LayerKinds;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.grid.Grid1D;
import org.integral4j.interp.InterpolationMatrix;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.CompositeChannelGroup;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.integral4j.convert.network.RebuiltNetwork;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@code org.integral4j.convert.calibration} and {@code org.integral4j.convert.budget} need from
 * this package's internals (conversion records, export): copies of integral models, the full and
 * resized plain networks with their layer links, and the target maps of the groups.
 */
final class CalibrationSupport {

    private CalibrationSupport() {
    }

    /**
     * An independent copy of an integral model: cloned network, new groups with the same sizes,
     * distributions and trainable points. Changing one never changes the other.
     *
     * @param m the model (not modified)
     * @return the copy
     */
    static IntegralModel copyOf(IntegralModel m) {
        Dl4jNetwork net = m.dl4jNetwork().copy();
        ChannelGroups groups = new ChannelGroups(42);
        for (ChannelGroup g : m.groups().all()) {
            if (g.isComposite()) {
                continue;
            }
            ChannelGroup c = g instanceof PartitionedChannelGroup p
                    ? groups.addPartitioned(g.name(), g.fullSize(), p.parts())
                    : groups.add(g.name(), g.fullSize(), g.family());
            if (c.size() != g.size()) {
                c.resize(g.size());
            }
            c.setDistribution(g.distribution());
            if (g.isTrainable()) {
                c.makeTrainable(g.trainableGrid().endpoints());
                c.trainableGrid().setInPlace(g.trainableGrid().current().points());
            }
        }
        for (ChannelGroup g : m.groups().all()) {
            if (g instanceof CompositeChannelGroup cg) {
                groups.addComposite(g.name(), cg.parts().stream().map(ChannelGroup::name).toArray(String[]::new));
            }
        }
        return IntegralModel.restore(net, groups, m.records(), m.sourceConfiguration(), m.registry());
    }

    /**
     * The calibration subject of an integral model at its current sizes and grids: the plain
     * network exported at full size (the reference), the one exported at the current sizes, and
     * the interpolation maps of the groups. The model is not modified (a copy is resized).
     *
     * @param m the model
     * @return the subject
     */
    static CalibrationSubject forIntegral(IntegralModel m) {
        IntegralModel work = copyOf(m);
        Map<String, Integer> sizes = sizes(work.groups(), false);
        RebuiltNetwork reduced = Exporter.export(work.sourceConfiguration(), work.records(), sizes,
                ParamTransfer.fromIntegral(work.dl4jNetwork()));
        Map<String, double[][]> maps = new LinkedHashMap<>();
        Map<String, Integer> knots = knotCounts(work);
        Set<String> partitioned = new HashSet<>();
        for (ChannelGroup g : work.groups().all()) {
            if (g instanceof PartitionedChannelGroup) {
                partitioned.add(g.name());
            } else if (!g.isComposite()) {
                maps.put(g.name(), interpolationMap(g, knots.getOrDefault(g.name(), g.fullSize())));
            }
        }
        for (ChannelGroup g : work.groups().all()) {
            if (g instanceof CompositeChannelGroup c && c.parts().stream().noneMatch(x -> partitioned.contains(x.name()))) {
                List<double[][]> parts = new ArrayList<>();
                c.parts().forEach(p -> parts.add(maps.get(p.name())));
                maps.put(g.name(), blockDiagonal(parts));
            }
        }
        for (ChannelGroup g : work.groups().all()) {
            if (!g.isComposite()) {
                g.resize(g.fullSize());
            }
        }
        RebuiltNetwork full = Exporter.export(work.sourceConfiguration(), work.records(), sizes(work.groups(), true),
                ParamTransfer.fromIntegral(work.dl4jNetwork()));
        List<LayerLink> links = new ArrayList<>();
        for (LayerLink l : links(work.records(), full)) {
            boolean grouped = partitioned.contains(l.outGroup()) || partitioned.contains(l.inGroup())
                    || (l.inGroup() != null && !maps.containsKey(l.inGroup()));
            links.add(grouped ? new LayerLink(l.id(), LayerLink.Kind.OTHER, l.inGroup(), l.outGroup(), l.foldedBatchNorm())
                    : l);
        }
        return new CalibrationSubject(full.network(), reduced.network(), links, maps, sizes);
    }

    /**
     * The calibration subject of a channel selection (the L1 baseline).
     *
     * @param p       the prepared source (not folded, not permuted)
     * @param source  the source network: the reference (not modified)
     * @param pruned  the pruned network
     * @param kept    group name to the kept channels (ascending)
     * @param sizes   every group's size after pruning
     * @return the subject
     */
    static CalibrationSubject forSelection(IntegralWrapper.PreparedConversion p, Dl4jNetwork source,
                                           RebuiltNetwork pruned, Map<String, int[]> kept, Map<String, Integer> sizes) {
        Map<String, double[][]> maps = new LinkedHashMap<>();
        Map<String, Integer> full = new LinkedHashMap<>();
        p.analysis().continuousGroups().forEach(g -> full.put(g.name(), g.size()));
        kept.forEach((name, keep) -> maps.put(name, selection(keep, full.get(name))));
        p.analysis().continuousGroups().forEach(g -> {
            if (g.isComposite()) {
                List<double[][]> parts = new ArrayList<>();
                g.parts().forEach(part -> parts.add(maps.get(part)));
                maps.put(g.name(), blockDiagonal(parts));
            }
        });
        return new CalibrationSubject(source, pruned.network(), links(p.records(), pruned), maps, sizes);
    }

    private static double[][] selection(int[] keep, int fullSize) {
        double[][] t = new double[keep.length][fullSize];
        for (int i = 0; i < keep.length; i++) {
            t[i][keep[i]] = 1;
        }
        return t;
    }

    /** {@code A(x) A(full)^+}: interpolation of the full channels at the current points. */
    private static double[][] interpolationMap(ChannelGroup g, int knots) {
        Grid1D current = g.grid();
        double[][] a = InterpolationMatrix.build(current.points(), knots).toArray(false);
        InterpolationMatrix fullMatrix = InterpolationMatrix.build(g.family().create(g.fullSize()).points(), knots);
        if (fullMatrix.isIdentity()) {
            return a;
        }
        return RidgeSolver.rightDivide(a, fullMatrix.toArray(false));
    }

    private static double[][] blockDiagonal(List<double[][]> parts) {
        int rows = 0;
        int cols = 0;
        for (double[][] p : parts) {
            rows += p.length;
            cols += p[0].length;
        }
        double[][] t = new double[rows][cols];
        int r = 0;
        int c = 0;
        for (double[][] p : parts) {
            for (int i = 0; i < p.length; i++) {
                System.arraycopy(p[i], 0, t[r + i], c, p[i].length);
            }
            r += p.length;
            c += p[0].length;
        }
        return t;
    }

    /** Knots per group: {@code round(lambdaScale * fullSize)} of the layer that produces it. */
    private static Map<String, Integer> knotCounts(IntegralModel m) {
        Map<String, Integer> knots = new LinkedHashMap<>();
        for (IntegralLayer<?> l : IntegralNetworks.integralLayers(m.network())) {
            IntegralLayerConf c = l.layerConf();
            String out = c.getOutGroup();
            if (out != null && m.groups().contains(out) && !knots.containsKey(out)) {
                int full = m.groups().get(out).fullSize();
                knots.put(out, (int) Math.max(1, Math.round(c.getLambdaScale() * full)));
            }
        }
        return knots;
    }

    static Map<String, Integer> sizes(ChannelGroups groups, boolean full) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroup g : groups.all()) {
            sizes.put(g.name(), full ? g.fullSize() : g.size());
        }
        return sizes;
    }

    /**
     * The exported layers with parameters that calibration knows, in order, named as in the
     * exported network (the same names in every export of one model).
     */
    static List<LayerLink> links(List<NodeRecord> records, RebuiltNetwork exported) {
        List<LayerLink> links = new ArrayList<>();
        for (NodeRecord r : records) {
            List<String> ids = exported.layersOf().getOrDefault(r.name(), List.of());
            if (r.nodeKind() != NodeSpec.Kind.LAYER || ids.isEmpty()) {
                continue;
            }
            if (r.kind().isConvertible()) {
                links.add(new LayerLink(ids.get(0), calibrationKind(r.kind()), r.inGroup(), r.outGroup(),
                        r.receivesBatchNorm()));
            }
        }
        return links;
    }

    /**
     * What calibration can do with a layer of a convertible kind: reconstruct 2-D convolutions and
     * dense layers, re-estimate batch norms; others (1-D, depthwise, registered kinds) stay as
     * resampled.
     */
    private static LayerLink.Kind calibrationKind(LayerKind kind) {
        if (kind == LayerKinds.CONV2D) {
            return LayerLink.Kind.CONV2D;
        }
        if (kind == LayerKinds.DENSE || kind == LayerKinds.OUTPUT) {
            return LayerLink.Kind.DENSE;
        }
        return kind == LayerKinds.BATCH_NORM ? LayerLink.Kind.BATCH_NORM : LayerLink.Kind.OTHER;
    }

    /**
     * The cost model of an integral model's export: per exported layer its parameters and MACs at
     * full size, split by how they scale with the group sizes.
     *
     * @param m          the model (not modified)
     * @param inputTypes the network's input types
     * @return the model
     */
    static CostModel costModel(IntegralModel m, InputType... inputTypes) {
        Checks.require(inputTypes != null && inputTypes.length > 0, "IntegralModel.costModel",
                "MACs need the network's input types (e.g. InputType.convolutional(28, 28, 1)).");
        RebuiltNetwork big = Exporter.export(m.sourceConfiguration(), m.records(), sizes(m.groups(), true),
                (r, key, shape) -> Nd4j.zeros(shape));
        Map<String, Long> macs = Macs.perLayer(big.network().configuration(), m.registry(), inputTypes);
        List<CostModel.Term> terms = new ArrayList<>();
        for (NodeRecord r : m.records()) {
            List<String> ids = big.layersOf().getOrDefault(r.name(), List.of());
            if (r.nodeKind() != NodeSpec.Kind.LAYER || ids.isEmpty()) {
                continue;
            }
            String id = ids.get(0);
            terms.add(term(r, id, big.network().layer(id).paramTable(),
                    big.network().layer(id).conf().getLayer(), macs.get(id)));
        }
        Map<String, List<String>> parts = new LinkedHashMap<>();
        Map<String, Integer> simple = new LinkedHashMap<>();
        for (ChannelGroup g : m.groups().all()) {
            if (g instanceof CompositeChannelGroup c) {
                parts.put(g.name(), c.parts().stream().map(ChannelGroup::name).toList());
            } else {
                simple.put(g.name(), g.fullSize());
            }
        }
        return new CostModel(terms, parts, simple, m.sourceConfiguration().parameterCount() - big.network().numParams());
    }

    /** One exported layer's parameters and MACs, split by how they scale with its groups' sizes. */
    private static CostModel.Term term(NodeRecord r, String id, Map<String, INDArray> params, Layer layer,
                                       long macs) {
        double bilinear = 0;
        double linear = 0;
        double constant = 0;
        ChannelRule rule = r.kind().channels(LayerRegistry.unwrap(layer));
        boolean perChannel = rule instanceof ChannelRule.PerChannel || rule instanceof ChannelRule.Depthwise;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            long n = e.getValue().length();
            if (r.outGroup() == null && r.inGroup() == null) {
                constant += n;
            } else if (perChannel || !e.getKey().equals("W")) {
                linear += n;
            } else {
                bilinear += n;
            }
        }
        String in = perChannel ? null : r.inGroup();
        return new CostModel.Term(id, in, r.outGroup(), bilinear, linear, constant, perChannel ? 0 : macs,
                perChannel ? macs : 0);
    }
}
