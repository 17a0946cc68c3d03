package org.integral4j.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.IntegralConvolution2D;
import org.integral4j.layers.conf.IntegralDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link FastModelRestore} gives what {@code ModelSerializer}'s restore gives, for both network kinds and types. */
class FastModelRestoreTest {

    private static MultiLayerNetwork integralCnn(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(type)
                .updater(new Adam(1e-2)).list()
                .layer(new IntegralConvolution2D.Builder().kernelSize(3, 3).nOut(6).outGroup("c1")
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new IntegralDense.Builder().nOut(3).inGroup("c1").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 2)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static DataSet data(DataType type) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(type, 4, 2, 8, 8);
        INDArray y = Nd4j.zeros(type, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void multiLayerNetworkWithUpdaterStateInFloatAndDouble(@TempDir Path dir) throws IOException {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            MultiLayerNetwork net = integralCnn(type);
            DataSet ds = data(type);
            net.fit(ds);
            net.fit(ds);
            File f = dir.resolve("mln-" + type + ".zip").toFile();
            ModelSerializer.writeModel(net, f, true);
            MultiLayerNetwork reference = ModelSerializer.restoreMultiLayerNetwork(f, true);
            MultiLayerNetwork fast = FastModelRestore.restoreMultiLayerNetwork(f, true);
            assertEquals(reference.getLayerWiseConfigurations().toJson(), fast.getLayerWiseConfigurations().toJson());
            assertEquals(reference.params(), fast.params(), type + " parameters");
            assertEquals(net.params(), fast.params(), type + " parameters equal the saved ones");
            assertEquals(reference.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray(),
                    type + " updater state");
            assertTrue(fast.getUpdater().getStateViewArray().amaxNumber().doubleValue() > 0, "Adam state restored");
            IntegralNetworks.bindNew(fast, 1);
            IntegralNetworks.bindNew(reference, 1);
            assertEquals(reference.output(ds.getFeatures()), fast.output(ds.getFeatures()), type + " outputs");
            // Training continues identically from the restored updater state.
            reference.fit(ds);
            fast.fit(ds);
            assertEquals(reference.params(), fast.params(), type + " after one more step");
            MultiLayerNetwork noUpdater = FastModelRestore.restoreMultiLayerNetwork(f, false);
            assertEquals(net.params(), noUpdater.params());
        }
    }

    @Test
    void computationGraphWithBatchNorm(@TempDir Path dir) throws IOException {
        ComputationGraph g = graph();
        DataSet ds = data(DataType.FLOAT);
        g.fit(ds);
        File f = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph reference = ModelSerializer.restoreComputationGraph(f, true);
        ComputationGraph fast = FastModelRestore.restoreComputationGraph(f, true);
        assertEquals(reference.getConfiguration().toJson(), fast.getConfiguration().toJson());
        assertEquals(reference.params(), fast.params());
        assertEquals(reference.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray());
        assertEquals(reference.outputSingle(ds.getFeatures()), fast.outputSingle(ds.getFeatures()));
        assertThrows(IOException.class, () -> FastModelRestore.restoreMultiLayerNetwork(f, false),
                "a graph is not a multi-layer network");
    }

    @Test
    void arraysOfOtherTypesAreLeftToNd4jRead() throws IOException {
        INDArray ints = Nd4j.arange(12).castTo(DataType.INT).reshape(3, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Nd4j.write(ints, new DataOutputStream(bytes));
        assertNull(FastModelRestore.readArray(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        INDArray f = Nd4j.rand(DataType.FLOAT, 3, 5).dup('f');
        bytes.reset();
        Nd4j.write(f, new DataOutputStream(bytes));
        INDArray back = FastModelRestore.readArray(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(f, back, "an 'f'-ordered array keeps its values");
        assertEquals(Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))), back);
    }
}
