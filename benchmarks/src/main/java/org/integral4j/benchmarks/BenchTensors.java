package org.integral4j.benchmarks;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
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
}
