package org.integral4j.convert;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.util.Checks;

/** Multiply-accumulate counts of plain DL4J networks from their configurations and input types. */
final class Macs {

    private Macs() {
    }

    /**
     * MACs of one forward pass of one example.
     *
     * @param network    a plain network
     * @param inputTypes its input types
     * @return the count
     */
    static long of(Model network, InputType... inputTypes) {
        Checks.require(inputTypes != null && inputTypes.length > 0, "CompressionMetrics",
                "MACs need the network's input types (e.g. InputType.convolutional(28, 28, 1)).");
        long total = 0;
        if (network instanceof MultiLayerNetwork mln) {
            MultiLayerConfiguration conf = mln.getLayerWiseConfigurations().clone();
            List<InputType> types = conf.getLayerActivationTypes(inputTypes[0]);
            for (int i = 0; i < conf.getConfs().size(); i++) {
                total += macs(conf.getConf(i).getLayer(), types.get(i));
            }
            return total;
        }
        ComputationGraphConfiguration conf = ((ComputationGraph) network).getConfiguration().clone();
        Map<String, InputType> types = conf.getLayerActivationTypes(inputTypes);
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                total += macs(lv.getLayerConf().getLayer(), types.get(e.getKey()));
            }
        }
        return total;
    }

    static long macs(Layer layer, InputType output) {
        if (layer instanceof DepthwiseConvolution2D d) {
            return output.arrayElementsPerExample() * d.getKernelSize()[0] * d.getKernelSize()[1];
        }
        if (layer instanceof ConvolutionLayer c) {
            return output.arrayElementsPerExample() * c.getNIn() * c.getKernelSize()[0] * c.getKernelSize()[1];
        }
        if (layer instanceof FeedForwardLayer f && !(layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization)) {
            return f.getNIn() * f.getNOut();
        }
        return 0;
    }
}
