package org.integral4j.convert.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/** {@link Dl4jNetwork} of a {@link MultiLayerNetwork}. */
final class MultiLayerNet implements Dl4jNetwork {

    private final MultiLayerNetwork net;

    MultiLayerNet(MultiLayerNetwork net) {
        this.net = net;
    }

    @Override
    public NetworkType type() {
        return NetworkType.MULTI_LAYER;
    }

    @Override
    public Model model() {
        return net;
    }

    @Override
    public MultiLayerNetwork multiLayerNetwork() {
        return net;
    }

    @Override
    public ComputationGraph computationGraph() {
        throw new IllegalStateException("This network is a MultiLayerNetwork, not a ComputationGraph.");
    }

    @Override
    public boolean isInitialised() {
        return net.getLayers() != null;
    }

    @Override
    public MultiLayerConfig configuration() {
        return new MultiLayerConfig(net.getLayerWiseConfigurations());
    }

    @Override
    public List<NodeSpec> nodes() {
        Checks.require(isInitialised(), "MultiLayerNetwork", "the network is not initialised."
                + " Fix: call net.init() first.");
        return configuration().nodes();
    }

    @Override
    public OptionalInt index(String node) {
        MultiLayerConfig conf = configuration();
        if (conf.inputNames().contains(node)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(conf.indexOf(node));
    }

    @Override
    public Layer layer(String name) {
        return net.getLayer(configuration().indexOf(name));
    }

    @Override
    public List<Layer> layers() {
        return net.getLayers() == null ? List.of() : List.of(net.getLayers());
    }

    @Override
    public Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = net.getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    @Override
    public void setListeners(Collection<? extends TrainingListener> listeners) {
        net.setListeners(new ArrayList<TrainingListener>(listeners));
    }

    @Override
    public INDArray[] output(INDArray... inputs) {
        requireOneInput(inputs);
        return new INDArray[] {net.output(inputs[0], false)};
    }

    private static void requireOneInput(INDArray[] inputs) {
        Checks.requireNonNull("MultiLayerNetwork", "inputs", inputs);
        Checks.require(inputs.length == 1, "MultiLayerNetwork", "a MultiLayerNetwork has one input, got %d arrays.",
                inputs.length);
    }

    @Override
    public Map<String, INDArray> activations(INDArray... inputs) {
        requireOneInput(inputs);
        List<INDArray> acts = net.feedForward(inputs[0], false);
        MultiLayerConfig conf = configuration();
        List<String> names = conf.layerNames();
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(conf.inputName(names), inputs[0]);
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), acts.get(i + 1));
        }
        return out;
    }

    @Override
    public Map<String, INDArray> activationsTo(String last, INDArray... inputs) {
        requireOneInput(inputs);
        MultiLayerConfig conf = configuration();
        List<String> names = conf.layerNames();
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(conf.inputName(names), inputs[0]);
        if (conf.inputNames().contains(last)) {
            return out;
        }
        int to = conf.indexOf(last);
        List<INDArray> acts = net.feedForwardToLayer(to, inputs[0], false);
        for (int i = 0; i <= to; i++) {
            out.put(names.get(i), acts.get(i + 1));
        }
        return out;
    }

    @Override
    public double fit(DataSet batch) {
        net.fit(batch);
        return net.score();
    }

    @Override
    public INDArray layerInput(String layer, Map<String, INDArray> activations) {
        MultiLayerConfig conf = configuration();
        int i = conf.indexOf(layer);
        List<String> names = conf.layerNames();
        INDArray in = activations.get(i == 0 ? conf.inputName(names) : names.get(i - 1));
        Checks.require(in != null, layer, "the activations do not hold this layer's input.");
        InputPreProcessor p = conf.dl4j().getInputPreProcess(i);
        return p == null ? in : p.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    public Dl4jNetwork convertDataType(DataType type) {
        return new MultiLayerNet(net.convertDataType(type));
    }

    @Override
    public Dl4jNetwork copy() {
        return new MultiLayerNet(net.clone());
    }

    @Override
    public String toString() {
        return "MultiLayerNetwork " + configuration().layerNames();
    }
}
