package org.integral4j.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.runtime.IntegralLayer;
import org.integral4j.util.Checks;

/**
 * Connects the integral layers of a DL4J network to the channel groups that own their grids.
 *
 * <pre>{@code
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);   // integral layers naming their groups
 * net.init();
 * ChannelGroups groups = IntegralNetworks.createGroups(net, 42);
 * IntegralNetworks.bind(net, groups);
 * groups.get("conv1").resize(16);                        // every layer of the group follows
 * }</pre>
 */
public final class IntegralNetworks {

    private IntegralNetworks() {
    }

    /**
     * The layers of a network.
     *
     * @param model a {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @return its layers
     */
    public static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getLayers();
        }
        if (model instanceof ComputationGraph cg) {
            return cg.getLayers();
        }
        throw new IllegalArgumentException("Expected a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()) + ".");
    }

    /**
     * The integral layers of a network, in layer order.
     *
     * @param model the network
     * @return its integral layers
     */
    public static List<IntegralLayer<?>> integralLayers(Model model) {
        List<IntegralLayer<?>> out = new ArrayList<>();
        for (Layer l : layers(model)) {
            if (l instanceof IntegralLayer<?> il) {
                out.add(il);
            }
        }
        return out;
    }

    /**
     * Creates one simple group per group name used by the network's integral layers, with the
     * full size the layers declare, in order of first use; a group feeding a grouped convolution
     * is partitioned into its blocks. Composite groups (concatenations) are not inferred: build
     * the groups by hand for a network that has any.
     *
     * @param model the network (not modified)
     * @param seed  seed of the training-size draws
     * @return the groups
     * @throws IllegalArgumentException when two layers declare different sizes for one group
     */
    public static ChannelGroups createGroups(Model model, long seed) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Integer> parts = new LinkedHashMap<>();
        Map<String, String> declaredBy = new LinkedHashMap<>();
        for (IntegralLayer<?> layer : integralLayers(model)) {
            IntegralLayerConf c = layer.layerConf();
            for (ParamSpec p : c.parameters()) {
                for (int i = 0; i < p.groups().length; i++) {
                    String g = p.groups()[i];
                    int blocks = p.onParts() ? Math.toIntExact(p.function().weightShape()[0]) : 1;
                    long size = p.function().weightShape()[p.function().continuousAxes()[i]] * blocks;
                    Long previous = sizes.putIfAbsent(g, size);
                    declaredBy.putIfAbsent(g, c.describe());
                    Checks.require(previous == null || previous == size, "group '" + g + "'",
                            "%s declares %d channels but %s declares %d; every member of a group needs the same "
                                    + "channel count.", declaredBy.get(g), previous, c.describe(), size);
                    if (blocks > 1) {
                        Integer before = parts.put(g, blocks);
                        Checks.require(before == null || before == blocks, "group '" + g + "'",
                                "feeds grouped convolutions with %d and %d groups; they cannot share channels.", before,
                                blocks);
                    }
                }
            }
        }
        ChannelGroups groups = new ChannelGroups(seed);
        sizes.forEach((name, size) -> {
            if (parts.containsKey(name)) {
                groups.addPartitioned(name, Math.toIntExact(size), parts.get(name));
            } else {
                groups.add(name, Math.toIntExact(size));
            }
        });
        return groups;
    }

    /**
     * Binds every integral layer of the network to the groups.
     *
     * @param model  the network
     * @param groups the groups (must contain every group the layers name)
     */
    public static void bind(Model model, ChannelGroups groups) {
        Checks.requireNonNull("IntegralNetworks.bind", "groups", groups);
        for (IntegralLayer<?> layer : integralLayers(model)) {
            layer.bind(groups);
        }
    }

    /**
     * Creates the groups of a network and binds it in one step.
     *
     * @param model the network
     * @param seed  seed of the training-size draws
     * @return the groups
     */
    public static ChannelGroups bindNew(Model model, long seed) {
        ChannelGroups groups = createGroups(model, seed);
        bind(model, groups);
        return groups;
    }
}
