package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseAndBatchNormOpsTest {

    @Test
    void denseBackwardMatchesCentralDifferences() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 5).subi(0.5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 3);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
        INDArray[] grads = DenseOps.backward(x, w, g, true);
        OpGradientCheck.check("dense dW", w, grads[0], g, () -> DenseOps.forward(x, w, b));
        OpGradientCheck.check("dense db", b, grads[1], g, () -> DenseOps.forward(x, w, b));
        OpGradientCheck.check("dense dx", x, grads[2], g, () -> DenseOps.forward(x, w, b));
        TensorAssert.assertClose("z", x.mmul(w.transpose()).addRowVector(b), DenseOps.forward(x, w, b), 1e-14, 0);
    }

    @Test
    void batchNormTrainingBackwardMatchesCentralDifferences() {
        Nd4j.getRandom().setSeed(4);
        for (long[] shape : new long[][] {{5, 3}, {3, 4, 3, 2}}) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(3);
            int c = (int) shape[1];
            INDArray gamma = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
            INDArray beta = Nd4j.rand(DataType.DOUBLE, c);
            BatchNormOps.Cache cache = BatchNormOps.forwardTraining(x, gamma, beta, 1e-5);
            INDArray g = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
            INDArray[] grads = BatchNormOps.backward(x, g, gamma, cache.mean, cache.invStd);
            OpGradientCheck.check("bn dx", x, grads[0], g, () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            OpGradientCheck.check("bn dgamma", gamma, grads[1], g,
                    () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            OpGradientCheck.check("bn dbeta", beta, grads[2], g,
                    () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            // Inference with the batch statistics gives the training output.
            INDArray std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(cache.var.add(1e-5));
            TensorAssert.assertClose("inference", cache.output,
                    BatchNormOps.forwardInference(x, gamma, beta, cache.mean, std), 1e-12, 0);
            assertEquals(c, cache.mean.length());
        }
    }
}
