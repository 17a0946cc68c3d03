package org.integral4j.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.models.SmallCnn;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and data shared by the tests of this module. */
public final class TestModels {

    private TestModels() {
    }

    /**
     * A small CNN for 8x8x1 inputs and 3 classes: conv 8 - pool - conv 12 - dense 16 - softmax 3.
     *
     * @param seed initialisation seed
     * @return the initialised plain network
     */
    public static MultiLayerNetwork tinyCnn(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(12).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The examples' small CNN for Fashion-MNIST (conv 32 - pool - conv 64 - pool - dense 128 -
     * softmax 10, as {@code SmallCnn.discrete}) with a chosen Adam step size, so that tests can
     * learn in few steps.
     *
     * @param seed         initialisation seed
     * @param learningRate Adam step size
     * @return the initialised plain network
     */
    public static MultiLayerNetwork fashionCnn(long seed, double learningRate) {
        return SmallCnn.discrete(seed, learningRate);
    }

    /**
     * A small residual graph for 8x8x1 inputs and 3 classes: conv 8 - conv 8 - add - global
     * average pool - softmax 3 (the add ties both convolutions' outputs into one group).
     *
     * @param seed initialisation seed
     * @return the initialised plain graph
     */
    public static ComputationGraph tinyResidualGraph(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-3))
                .weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).activation(Activation.RELU)
                        .build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).activation(Activation.RELU)
                        .build(), "c1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1", "c2")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * Converts a freshly initialised network to an integral model (no channel permutation: the
     * weights are random, so there is nothing to smooth).
     *
     * @param network the plain network (not modified)
     * @return the integral model
     */
    public static IntegralModel integral(Model network) {
        return IntegralWrapper.builder().permute(false).seed(1).build().wrapModel(network);
    }

    /**
     * Learnable synthetic data: 8x8x1 noisy images of horizontal stripes (class 0), vertical
     * stripes (class 1) or a checkerboard (class 2); a convolution followed by global pooling can
     * tell them apart.
     *
     * @param batches number of DataSets
     * @param batch   examples per DataSet
     * @param seed    data seed
     * @return the DataSets
     */
    public static List<DataSet> stripes(int batches, int batch, long seed) {
        Random rng = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.zeros(batch, 1, 8, 8);
            INDArray y = Nd4j.zeros(batch, 3);
            for (int i = 0; i < batch; i++) {
                int cls = rng.nextInt(3);
                int phase = rng.nextInt(2);
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        int k = cls == 0 ? r : (cls == 1 ? c : r + c);
                        boolean on = (k + phase) % 2 == 0;
                        x.putScalar(new int[] {i, 0, r, c}, (on ? 0.6 : 0.0) + 0.4 * rng.nextDouble());
                    }
                }
                y.putScalar(i, cls, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** Training images the distributed tests use (the first of the embedded training set). */
    public static final int TRAIN_IMAGES = 2000;
    /** Test images the distributed tests use (the first of the embedded test set). */
    public static final int TEST_IMAGES = 500;

    /**
     * The first {@link #TRAIN_IMAGES} or {@link #TEST_IMAGES} images of the embedded Fashion-MNIST
     * subset, independent of the Debian package, so results are the same on every machine and the
     * test time does not grow with the embedded subset.
     *
     * @param split train or test
     * @return the images
     */
    public static FashionMnistData fashionMnist(FashionMnist.Split split) {
        try {
            FashionMnistData all = FashionMnist.embedded().load(split);
            return all.first(split == FashionMnist.Split.TRAIN ? TRAIN_IMAGES : TEST_IMAGES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Minibatches of a Fashion-MNIST set, shuffled once, full batches only.
     *
     * @param data  the images
     * @param batch examples per DataSet
     * @param seed  shuffle seed
     * @return the DataSets
     */
    public static List<DataSet> batches(FashionMnistData data, int batch, long seed) {
        DataSetIterator it = org.integral4j.examples.data.FashionMnistIterator.builder(data).setBatchSize(batch)
                .optShuffle(seed).optDropLast(true).build();
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /**
     * Accuracy of a network on a data set at its current sizes.
     *
     * @param network the network
     * @param data    the examples
     * @return the accuracy
     */
    public static double accuracy(Model network, DataSet data) {
        Evaluation e = new Evaluation();
        INDArray out = network instanceof MultiLayerNetwork m ? m.output(data.getFeatures(), false)
                : ((ComputationGraph) network).outputSingle(false, data.getFeatures());
        e.eval(data.getLabels(), out);
        return e.accuracy();
    }
}
