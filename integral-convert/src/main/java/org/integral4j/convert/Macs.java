package org.integral4j.convert;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
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
    static long of(Dl4jNetwork network, InputType... inputTypes) {
        Checks.require(inputTypes != null && inputTypes.length > 0, "CompressionMetrics",
                "MACs need the network's input types (e.g. InputType.convolutional(28, 28, 1)).");
        Map<String, InputType> types = network.configuration().outputTypes(inputTypes);
        long total = 0;
        for (NodeSpec node : network.configuration().nodes()) {
            if (node.kind() == NodeSpec.Kind.LAYER) {
                total += macs(node.layer(), types.get(node.name()));
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
        if (layer instanceof FeedForwardLayer f && !(layer instanceof BatchNormalization)) {
            return f.getNIn() * f.getNOut();
        }
        return 0;
    }
}
