package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.graph.AnalysisOptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A resize says what it did: {@link ResizeResult} gives the sizes before and after and the share of
 * the parameters a resize can reach, and a resize that cannot change anything logs a warning.
 */
class ResizeResultTest {

    /** fc1(6→10) → fc2(10→8) → out(8→3). */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).activation(Activation.TANH).list()
                .layer(new DenseLayer.Builder().nOut(10).name("fc1").build())
                .layer(new DenseLayer.Builder().nOut(8).name("fc2").build())
                .layer(new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.feedForward(6)).build());
        net.init();
        return net;
    }

    /** Runs {@code action} and returns what it logged (slf4j-simple writes to System.err). */
    private static <T> String logged(Supplier<T> action, T[] result) {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            result[0] = action.get();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aResizeReportsTheSizesBeforeAndAfter() {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(network());
        ResizeResult[] r = new ResizeResult[1];
        String log = logged(() -> inn.resize(0.5), r);
        assertEquals(Map.of("fc1.out", 10, "fc2.out", 8), r[0].before());
        assertEquals(Map.of("fc1.out", 5, "fc2.out", 4), r[0].after());
        assertTrue(r[0].changed() && r[0].hasResizableGroups());
        assertEquals(1.0, r[0].resizableShare(), 1e-12, "every layer has a continuous axis");
        assertFalse(log.contains("WARN"), log);

        ResizeResult again = inn.resize(0.5);
        assertFalse(again.changed(), "the same sizes again change nothing");
        assertEquals(again.before(), again.after());
    }

    @Test
    void aResizeThatCannotChangeAnythingSaysSo() {
        IntegralModel inn = IntegralWrapper.builder().analysisOptions(AnalysisOptions.builder()
                .forceDiscrete("fc1").forceDiscrete("fc2").build()).build().wrapModel(network());
        ResizeResult[] r = new ResizeResult[1];
        String log = logged(() -> inn.resize(0.5), r);
        assertFalse(r[0].changed());
        assertFalse(r[0].hasResizableGroups());
        assertEquals(0.0, r[0].resizableShare());
        assertTrue(log.contains("WARN") && log.contains("changes nothing") && log.contains("no resizable channel group"),
                log);
        assertEquals(network().numParams(), inn.parameterCount(false), "the export keeps the full size");
    }
}
