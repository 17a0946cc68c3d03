package org.integral4j.convert.zoo;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiply-accumulate operations of one example counted from a real forward pass, without the
 * library's cost code: every weight element (every parameter except biases, batch-norm vectors
 * and centre-loss centres) is used once per output position of its layer, and a layer's output
 * positions are its output elements per example divided by its output channels (axis 1: NCHW
 * images, {@code [batch, size, time]} sequences, {@code [batch, size]} vectors). This covers
 * convolutions ({@code H_out·W_out·|W|}), depthwise and separable convolutions (both weights at
 * every output pixel), dense layers ({@code |W|}) and recurrent layers ({@code T·(|W| + |RW|)}).
 */
final class IndependentCount {

    /** Parameters that are not multiplied with activations in a forward pass. */
    private static final Set<String> NOT_MULTIPLIED = Set.of("b", "gamma", "beta", "mean", "var", "log10stdev", "cL");

    private IndependentCount() {
    }

    /**
     * @param net   the network (not modified)
     * @param input a batch of inputs
     * @return MACs of one forward pass of one example
     */
    static long macs(Dl4jNetwork net, INDArray input) {
        Map<String, INDArray> acts = net.activations(input);
        long total = 0;
        for (NodeSpec node : net.nodes()) {
            if (node.kind() != NodeSpec.Kind.LAYER) {
                continue;
            }
            Layer layer = net.layer(node.name());
            long weights = 0;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (!NOT_MULTIPLIED.contains(p.getKey())) {
                    weights += p.getValue().length();
                }
            }
            if (weights > 0) {
                INDArray out = acts.get(node.name());
                total += weights * (out.length() / (out.size(0) * out.size(1)));
            }
        }
        return total;
    }
}
