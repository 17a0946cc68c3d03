package org.integral4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The from-scratch comparison of {@link FashionMnistTrainingTest} on the full data set (60000
 * training, 10000 test images, one epoch, batch 64): the integral CNN trained with random sizes
 * (half-normal, 50-100%) against the same discrete CNN on the same batches. Needs the Debian
 * package {@code dataset-fashion-mnist} ({@code .ci/run} installs it).
 */
class FashionMnistTrainingIT {

    @Test
    void integralTrainingFromScratchMatchesDiscreteTrainingOnTheFullDataSet() throws Exception {
        FashionMnist source = FashionMnist.locate();
        Assumptions.assumeFalse(source.isEmbedded(), "the full Fashion-MNIST data set is not installed");
        FashionMnistData train = source.load(FashionMnist.Split.TRAIN);
        FashionMnistData test = source.load(FashionMnist.Split.TEST);
        TrainingComparison c = new TrainingComparison(train, test, 1, 64, 0.5, true);
        assertTrue(c.discrete.accuracy() > 0.8, "the discrete baseline learns: " + c.discrete);
        assertTrue(c.integral.accuracy() >= c.discrete.accuracy() - 0.03,
                "integral " + c.integral + " vs discrete " + c.discrete);
        assertTrue(c.integral.loss() <= c.discrete.loss() + 0.08, "integral " + c.integral + " vs discrete " + c.discrete);
    }
}
