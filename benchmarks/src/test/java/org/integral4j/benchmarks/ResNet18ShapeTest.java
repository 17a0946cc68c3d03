package org.integral4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The ResNet-18 of {@link ResNet18ConversionBenchmark} has torchvision's parameter count (build and init only). */
class ResNet18ShapeTest {

    /** Batch-norm channels of ResNet-18: bn1 64, stage 1 4x64, stages 2-4 5x128, 5x256, 5x512. */
    private static final long BATCH_NORM_CHANNELS = 64 + 4 * 64 + 5 * 128 + 5 * 256 + 5 * 512;

    @Test
    void parameterCountMatchesTorchvision() {
        ComputationGraph g = ResNet18ConversionBenchmark.resnet18(1);
        assertEquals(11_689_512L, ResNet18ConversionBenchmark.trainableParameters(g),
                "trainable parameters (torchvision's resnet18().parameters() count)");
        // DL4J keeps the running mean and variance in the parameter vector; PyTorch keeps them as buffers.
        assertEquals(11_689_512L + 2 * BATCH_NORM_CHANNELS, g.numParams(), "DL4J's numParams()");
        assertEquals(ResNet18ConversionBenchmark.CLASSES, g.getLayer("fc").getParam("W").size(1), "classes");
    }
}
