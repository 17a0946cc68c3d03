package org.integral4j.convert.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.FaceNetNN4Small2;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TextGenerationLSTM;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.deeplearning4j.zoo.model.YOLO2;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkType;
import org.integral4j.convert.network.NodeSpec;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The 15 models of {@code deeplearning4j-zoo} 1.0.0-M2.1 that DL4J itself can build ({@code NASNet}
 * is the 16th: its configuration fails in DL4J, "Cannot calculate activation types if no inputs
 * have been set"), each at the smallest input its architecture allows, with 5 classes.
 */
final class ZooNets {

    private static final int CLASSES = 5;

    /**
     * Plain chains whose 4096-channel dense layers make the permutation's distance matrices (4096²
     * pairs of long rows) most of the test's time; they are converted without permutation, which
     * changes nothing that the permuted chains (LeNet, SimpleCNN, Darknet19, ...) do not check.
     */
    static final Set<String> PLAIN_CHAINS_WITH_WIDE_DENSE = Set.of("AlexNet", "VGG16", "VGG19");

    private ZooNets() {
    }

    /** @return every case, smallest first */
    static List<ZooCase> all() {
        return List.of(
                new ZooCase("LeNet", () -> LeNet.builder().numClasses(CLASSES).build(),
                        InputType.convolutionalFlat(28, 28, 1), false),
                new ZooCase("SimpleCNN", () -> SimpleCNN.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 48, 48}).build(), InputType.convolutional(48, 48, 3), false),
                new ZooCase("TextGenerationLSTM", () -> TextGenerationLSTM.builder().maxLength(12)
                        .totalUniqueCharacters(10).inputShape(new int[] {12, 10}).build(), InputType.recurrent(10, 12), true),
                new ZooCase("SqueezeNet", () -> SqueezeNet.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), false),
                new ZooCase("AlexNet", () -> AlexNet.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), true),
                new ZooCase("Darknet19", () -> Darknet19.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), false),
                new ZooCase("TinyYOLO", () -> TinyYOLO.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), false),
                new ZooCase("YOLO2", () -> YOLO2.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), true),
                new ZooCase("VGG16", () -> VGG16.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 32, 32}).build(), InputType.convolutional(32, 32, 3), false),
                new ZooCase("VGG19", () -> VGG19.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 32, 32}).build(), InputType.convolutional(32, 32, 3), false),
                new ZooCase("UNet", () -> UNet.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), false),
                new ZooCase("FaceNetNN4Small2", () -> FaceNetNN4Small2.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).build(), InputType.convolutional(64, 64, 3), true),
                new ZooCase("Xception", () -> Xception.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 71, 71}).build(), InputType.convolutional(71, 71, 3), true),
                new ZooCase("InceptionResNetV1", () -> InceptionResNetV1.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 160, 160}).build(), InputType.convolutional(160, 160, 3), true),
                new ZooCase("ResNet50", () -> ResNet50.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 112, 112}).build(), InputType.convolutional(112, 112, 3), false));
    }

    /**
     * @param name a zoo class name
     * @return its case
     */
    static ZooCase named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Makes every softmax output layer a linear one (the logits), so that comparing outputs means
     * something also where random weights saturate the softmax. Applied to the live layers'
     * configurations, which DL4J reads in every forward pass and the conversion copies.
     */
    static void logitsOut(Dl4jNetwork net) {
        for (Layer layer : net.layers()) {
            if (layer.conf().getLayer() instanceof BaseOutputLayer out && out.getActivationFn() instanceof ActivationSoftmax) {
                out.setActivationFn(new ActivationIdentity());
            }
        }
    }

    /**
     * Gives every batch norm non-trivial statistics, scale and shift (as if trained): scale and
     * variance in [0.9, 1.1], shift and mean in [-0.1, 0.1]. Wider ranges make the deep random
     * residual networks (InceptionResNetV1) so ill-conditioned that rounding differences of
     * 1e-16 grow to order 1 at the output, whatever computes it.
     */
    static void randomizeBatchNorms(Dl4jNetwork net) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(17);
        for (Layer layer : net.layers()) {
            layer.paramTable().forEach((k, v) -> randomize(rng, k, v));
        }
    }

    /**
     * Sets every batch norm's running mean and variance to the statistics of its input on
     * {@code x} in a training-mode forward pass (as training would leave them; variances of at least
     * 1e-3, for channels that a ReLU switched off), so that the random
     * deep networks stay well conditioned: with arbitrary statistics the activations of
     * InceptionResNetV1 grow from block to block until a relative change of 1e-14 at the input
     * changes the output by 1e-4, and rounding differences alone reach order 1 at its output.
     *
     * @param net the network (its batch-norm parameters are modified)
     * @param x   a batch of inputs
     */
    static void batchNormStatistics(Dl4jNetwork net, INDArray x) {
        List<NodeSpec> norms = net.nodes().stream().filter(n -> n.kind() == NodeSpec.Kind.LAYER
                && n.layer() instanceof BatchNormalization).toList();
        if (norms.isEmpty()) {
            return;
        }
        Map<String, INDArray> acts = trainingActivations(net, x);
        for (NodeSpec n : norms) {
            INDArray in = acts.get(n.inputs().get(0));
            int[] axes = in.rank() == 4 ? new int[] {0, 2, 3} : in.rank() == 3 ? new int[] {0, 2} : new int[] {0};
            INDArray mean = in.mean(axes);
            INDArray var = Transforms.max(in.var(false, axes), 1e-3, false);
            Layer layer = net.layer(n.name());
            Map<String, INDArray> p = layer.paramTable();
            p.get("mean").assign(mean.reshape(p.get("mean").shape()));
            if (p.containsKey("var")) {
                p.get("var").assign(var.reshape(p.get("var").shape()));
            } else {
                p.get("log10stdev").assign(Transforms.log(var, 10, true).muli(0.5).reshape(p.get("log10stdev").shape()));
            }
        }
    }

    /** Every node's activation in one training-mode forward pass (batch norms use batch statistics). */
    private static Map<String, INDArray> trainingActivations(Dl4jNetwork net, INDArray x) {
        if (net.type() == NetworkType.GRAPH) {
            return net.computationGraph().feedForward(new INDArray[] {x}, true, false);
        }
        List<INDArray> list = net.multiLayerNetwork().feedForward(x, true);
        Map<String, INDArray> acts = new LinkedHashMap<>();
        List<String> names = net.nodes().stream().map(NodeSpec::name).toList();
        for (int i = 0; i < names.size(); i++) {
            acts.put(names.get(i), list.get(i));
        }
        return acts;
    }

    private static void randomize(Random rng, String key, INDArray v) {
        switch (key) {
            case "gamma", "var" -> v.assign(Nd4j.rand(rng, v.shape()).castTo(v.dataType()).subi(0.5).muli(0.2).addi(1));
            case "beta", "mean" -> v.assign(Nd4j.rand(rng, v.shape()).castTo(v.dataType()).subi(0.5).muli(0.2));
            case "log10stdev" -> v.assign(Nd4j.rand(rng, v.shape()).castTo(v.dataType()).subi(0.5).muli(0.04));
            default -> {
            }
        }
    }
}
