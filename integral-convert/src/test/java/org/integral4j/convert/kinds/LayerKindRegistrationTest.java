package org.integral4j.convert.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a new layer type becomes supported: one {@link LayerKind} registered in one place, the
 * {@link LayerRegistry} given to the conversion. The two layer classes below are test-only (DL4J
 * subclasses that compute what their parents compute; classes are matched exactly, so the library
 * does not know them). Unregistered, the analysis refuses them by name; registered, nothing else
 * changes and the network converts, reproduces the source, resizes, counts its MACs and exports.
 */
class LayerKindRegistrationTest {

    /** A test-only dense layer class (what {@code DenseLayer} computes). */
    public static class MyDense extends DenseLayer {
        private static final long serialVersionUID = 1L;

        MyDense(long nIn, long nOut) {
            setNIn(nIn);
            setNOut(nOut);
            setActivationFn(new ActivationTanH());
            setLayerName("my_dense");
        }

        /** For DL4J's JSON. */
        public MyDense() {
        }
    }

    /** A test-only activation layer class (no parameters on the channel axis). */
    public static class MyActivation extends ActivationLayer {
        private static final long serialVersionUID = 1L;

        MyActivation(String name) {
            setActivationFn(new ActivationTanH());
            setLayerName(name);
        }

        /** For DL4J's JSON. */
        public MyActivation() {
        }
    }

    /** The one place the two kinds are registered. */
    private static final LayerRegistry REGISTRY = LayerRegistry.defaults()
            .with(LayerKinds.dense("MY_DENSE", MyDense.class))
            .with(LayerKinds.passThrough("MY_ACTIVATION", layer -> Optional.empty(), MyActivation.class));

    private static final InputType INPUT = InputType.feedForward(6);

    /** fc1(6→10) → my_act → my_dense(10→8) → out(8→3). */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).activation(Activation.RELU).list()
                .layer(new DenseLayer.Builder().nOut(10).name("fc1").build())
                .layer(new MyActivation("my_act"))
                .layer(new MyDense(10, 8))
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(INPUT).build());
        net.init();
        return net;
    }

    @Test
    void unregisteredLayersAreRefusedByTheAnalysisWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegralWrapper.builder().build().wrapModel(network()));
        assertTrue(e.getMessage().contains("node 'my_dense' (" + MyDense.class.getName() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("node 'my_act' (" + MyActivation.class.getName() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("LayerRegistry.with"), e.getMessage());
    }

    @Test
    void registeredLayersConvertResizeCountAndExport() {
        MultiLayerNetwork source = network();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
        IntegralModel inn = IntegralWrapper.builder()
                .analysisOptions(AnalysisOptions.builder().layerRegistry(REGISTRY).build()).build()
                .wrapModel(source);

        assertEquals(Map.of("fc1.out", 10, "my_dense.out", 8), inn.sizes(), "both hidden groups are continuous");
        INDArray expected = source.output(x);
        assertTrue(inn.output(x).equalsWithEps(expected, 1e-12), "the integral network reproduces the source");
        assertTrue(Dl4jNetwork.of(inn.toDiscrete()).output(x)[0].equalsWithEps(expected, 1e-12),
                "the full-size export reproduces the source");

        inn.resize(Map.of("fc1.out", 5, "my_dense.out", 4));
        CompressionMetrics m = inn.metrics(INPUT);
        assertEquals(source.numParams(), m.paramsFull());
        assertEquals(6 * 10 + 10 * 8 + 8 * 3, m.macsFull(), "MACs of the registered dense kind are counted");
        assertEquals(6 * 5 + 5 * 4 + 4 * 3, m.macsCurrent());
        Dl4jNetwork small = Dl4jNetwork.of(inn.toDiscrete());
        assertEquals(m.paramsCurrent(), small.numParams());
        assertTrue(small.output(x)[0].equalsWithEps(inn.output(x), 1e-10), "the export computes the resized network");
        assertEquals(MyDense.class, small.layer("my_dense").conf().getLayer().getClass(), "exported as its own class");
    }
}
