package org.integral4j.convert.calibration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Uniform access to the layers of a plain {@link MultiLayerNetwork} or {@link ComputationGraph}:
 * a layer by id (index or name), and the input a layer sees (after its preprocessor) for a batch.
 */
final class NetworkAccess {

    private NetworkAccess() {
    }

    static Layer layer(Model net, String id) {
        if (net instanceof MultiLayerNetwork m) {
            return m.getLayer(Integer.parseInt(id));
        }
        Layer l = ((ComputationGraph) net).getLayer(id);
        if (l == null) {
            throw new IllegalStateException("no layer '" + id + "' in the network");
        }
        return l;
    }

    static org.deeplearning4j.nn.conf.layers.Layer conf(Model net, String id) {
        return layer(net, id).conf().getLayer();
    }

    /** Whether the layer reads a network input directly (its input is the same in every width). */
    static boolean readsNetworkInput(Model net, String id) {
        if (net instanceof MultiLayerNetwork) {
            return Integer.parseInt(id) == 0;
        }
        ComputationGraphConfiguration conf = ((ComputationGraph) net).getConfiguration();
        List<String> in = conf.getVertexInputs().get(id);
        return in != null && in.size() == 1 && conf.getNetworkInputs().contains(in.get(0));
    }

    /**
     * The input of each named layer for a batch (inference mode), after the layer's preprocessor.
     *
     * @param net the network
     * @param x   the batch
     * @param ids layer ids
     * @return id to input (detached arrays)
     */
    static Map<String, INDArray> layerInputs(Model net, INDArray x, List<String> ids) {
        Map<String, INDArray> out = new HashMap<>();
        long mb = x.size(0);
        if (net instanceof MultiLayerNetwork m) {
            int last = 0;
            for (String id : ids) {
                last = Math.max(last, Integer.parseInt(id));
            }
            List<INDArray> acts = last == 0 ? List.of(x) : m.feedForwardToLayer(last - 1, x, false);
            for (String id : ids) {
                int i = Integer.parseInt(id);
                INDArray a = acts.get(i);
                InputPreProcessor p = m.getLayerWiseConfigurations().getInputPreProcess(i);
                out.put(id, p == null ? a : p.preProcess(a, (int) mb, LayerWorkspaceMgr.noWorkspaces()));
            }
            return out;
        }
        ComputationGraph g = (ComputationGraph) net;
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {x}, false);
        ComputationGraphConfiguration conf = g.getConfiguration();
        for (String id : ids) {
            String from = conf.getVertexInputs().get(id).get(0);
            INDArray a = conf.getNetworkInputs().contains(from) ? x : acts.get(from);
            InputPreProcessor p = ((LayerVertex) conf.getVertices().get(id)).getPreProcessor();
            out.put(id, p == null ? a : p.preProcess(a, (int) mb, LayerWorkspaceMgr.noWorkspaces()));
        }
        return out;
    }

    /**
     * The input (after its preprocessor) and the output of one layer for a batch (inference mode).
     *
     * @param net the network
     * @param x   the batch
     * @param id  the layer id
     * @return {input, output}
     */
    static INDArray[] layerInputAndOutput(Model net, INDArray x, String id) {
        INDArray in = layerInputs(net, x, List.of(id)).get(id);
        if (net instanceof MultiLayerNetwork m) {
            int i = Integer.parseInt(id);
            return new INDArray[] {in, m.feedForwardToLayer(i, x, false).get(i + 1)};
        }
        return new INDArray[] {in, ((ComputationGraph) net).feedForward(new INDArray[] {x}, false).get(id)};
    }

    /** The network's output for a batch (first output of a graph). */
    static INDArray output(Model net, INDArray x) {
        if (net instanceof MultiLayerNetwork m) {
            return m.output(x, false);
        }
        return ((ComputationGraph) net).outputSingle(false, x);
    }

    static Model copy(Model net) {
        return net instanceof MultiLayerNetwork m ? m.clone() : ((ComputationGraph) net).clone();
    }
}
