package org.integral4j.convert.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Dl4jConfiguration} of a {@link MultiLayerConfiguration}. */
final class MultiLayerConfig implements Dl4jConfiguration {

    /** Name of the input node (made unique if a layer uses it). */
    static final String INPUT_NAME = "input";

    private final MultiLayerConfiguration conf;

    MultiLayerConfig(MultiLayerConfiguration conf) {
        this.conf = conf;
    }

    MultiLayerConfiguration dl4j() {
        return conf;
    }

    @Override
    public NetworkType type() {
        return NetworkType.MULTI_LAYER;
    }

    @Override
    public Dl4jConfiguration copy() {
        return new MultiLayerConfig(conf.clone());
    }

    @Override
    public String toJson() {
        return conf.toJson();
    }

    /** Node names of the layers, by index (see {@link Dl4jConfiguration}). */
    List<String> layerNames() {
        int n = conf.getConfs().size();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String s = conf.getConf(i).getLayer().getLayerName();
            if (s != null && !s.isEmpty()) {
                counts.merge(s, 1, Integer::sum);
            }
        }
        String[] names = new String[n];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String s = conf.getConf(i).getLayer().getLayerName();
            if (s != null && !s.isEmpty() && counts.get(s) == 1) {
                names[i] = s;
                used.add(s);
            }
        }
        for (int i = 0; i < n; i++) {
            if (names[i] == null) {
                String candidate = String.valueOf(i);
                while (used.contains(candidate)) {
                    candidate = "#" + candidate;
                }
                names[i] = candidate;
                used.add(candidate);
            }
        }
        return List.of(names);
    }

    String inputName(List<String> layerNames) {
        Set<String> taken = new HashSet<>(layerNames);
        String name = INPUT_NAME;
        while (taken.contains(name)) {
            name = "_" + name;
        }
        return name;
    }

    /**
     * The index of a layer node.
     *
     * @param name a layer node name
     * @return its index
     * @throws IllegalArgumentException when no layer has that name
     */
    int indexOf(String name) {
        int i = layerNames().indexOf(name);
        Checks.require(i >= 0, "MultiLayerNetwork", "no layer named '%s'; the layers are %s.", name, layerNames());
        return i;
    }

    @Override
    public List<NodeSpec> nodes() {
        List<String> names = layerNames();
        String input = inputName(names);
        List<NodeSpec> nodes = new ArrayList<>();
        nodes.add(new NodeSpec(input, NodeSpec.Kind.INPUT, null, null, null, List.of(), ""));
        for (int i = 0; i < names.size(); i++) {
            nodes.add(new NodeSpec(names.get(i), NodeSpec.Kind.LAYER, conf.getConf(i).getLayer(), null,
                    conf.getInputPreProcess(i), List.of(i == 0 ? input : names.get(i - 1)), i + "_"));
        }
        return nodes;
    }

    @Override
    public List<String> inputNames() {
        return List.of(inputName(layerNames()));
    }

    @Override
    public List<String> outputNames() {
        List<String> names = layerNames();
        return names.isEmpty() ? inputNames() : List.of(names.get(names.size() - 1));
    }

    @Override
    public Map<String, InputType> outputTypes(InputType... inputTypes) {
        Checks.requireNonNull("MultiLayerNetwork", "inputTypes", inputTypes);
        Checks.require(inputTypes.length == 1 && inputTypes[0] != null, "MultiLayerNetwork",
                "a MultiLayerNetwork has one input; got %d input type(s). Fix: pass one type, e.g."
                        + " InputType.convolutional(28, 28, 1).", inputTypes.length);
        List<InputType> types;
        try {
            types = conf.clone().getLayerActivationTypes(inputTypes[0]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("MultiLayerNetwork: DL4J cannot propagate input type " + inputTypes[0]
                    + " through the network: " + e.getMessage() + " Fix: pass the type the network was built for.", e);
        }
        List<String> names = layerNames();
        Map<String, InputType> out = new LinkedHashMap<>();
        out.put(inputName(names), inputTypes[0]);
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), types.get(i));
        }
        return out;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        conf.getConfs().forEach(c -> layers.add(c.getLayer()));
        return layers;
    }

    @Override
    public Dl4jNetwork build() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new MultiLayerNet(net);
    }

    @Override
    public Dl4jNetwork build(INDArray params) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params, false);
        return new MultiLayerNet(net);
    }

    @Override
    public RebuiltNetwork rebuild(NetworkTransform transform) {
        MultiLayerConfiguration copy = conf.clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        Map<String, List<Integer>> where = new LinkedHashMap<>();
        List<NodeSpec> nodes = nodes();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NodeSpec node = nodes.get(i + 1);
            NeuralNetConfiguration original = conf.getConf(i);
            List<Layer> layers = layersOf(transform.layer(node, original.getLayer()), original.getLayer());
            InputPreProcessor p = transform.preProcessor(node, conf.getInputPreProcess(i));
            if (layers.isEmpty()) {
                Checks.require(p == null, node.name(), "a removed layer cannot carry an input preprocessor (%s).", p);
                where.put(node.name(), List.of());
                continue;
            }
            List<Integer> indices = new ArrayList<>();
            for (int k = 0; k < layers.size(); k++) {
                NeuralNetConfiguration c = original.clone();
                c.setLayer(layers.get(k));
                if (k == 0 && p != null) {
                    pre.put(confs.size(), p);
                }
                indices.add(confs.size());
                confs.add(c);
            }
            where.put(node.name(), indices);
        }
        copy.setConfs(confs);
        copy.setInputPreProcessors(pre);
        MultiLayerConfig rebuilt = new MultiLayerConfig(copy);
        List<String> names = rebuilt.layerNames();
        Map<String, List<String>> layersOf = new LinkedHashMap<>();
        where.forEach((node, indices) -> layersOf.put(node, indices.stream().map(names::get).toList()));
        return new RebuiltNetwork(rebuilt.build(), layersOf);
    }

    /** The layers a replacement stands for: the original's copy, none, or the chain. */
    static List<Layer> layersOf(Replacement r, Layer original) {
        if (r instanceof Replacement.Keep) {
            return List.of(original.clone());
        }
        if (r instanceof Replacement.Chain c) {
            return c.layers();
        }
        return List.of();
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers()) {
            n += Dl4jConfiguration.parameterCount(l);
        }
        return n;
    }

    @Override
    public String toString() {
        return "MultiLayerNetwork configuration, layers " + layerNames();
    }
}
