package org.integral4j.benchmarks;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded inputs for the benchmarks. */
final class BenchTensors {

    private BenchTensors() {
    }

    /**
     * A float32 'c' tensor of Gaussian values with deviation 0.05, as a trained network's weights
     * before permutation, from a seeded {@link Random}.
     *
     * @param seed  the seed
     * @param shape the shape
     * @return a new tensor
     */
    static INDArray gaussianWeights(long seed, long... shape) {
        Random random = new Random(seed);
        long len = 1;
        for (long s : shape) {
            len *= s;
        }
        float[] data = new float[(int) len];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * 0.05f;
        }
        return Nd4j.create(data, shape, 'c');
    }

    /**
     * A classification batch of uniform random images from ND4J's generator seeded with
     * {@code seed}, and one-hot labels {@code i mod classes}.
     *
     * @param seed     the seed of ND4J's global generator (reset by this call)
     * @param batch    images
     * @param channels channels per image
     * @param image    height and width
     * @param classes  label classes
     * @return features {@code (batch, channels, image, image)} float32 and labels {@code (batch, classes)}
     */
    static DataSet classificationBatch(long seed, int batch, int channels, int image, int classes) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, image, image);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(x, y);
    }
}
