package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
        LayerGradients grads = DenseOps.backward(x, w, g, true);
        OpGradientCheck.check("dense dW", w, grads.weight(), g, () -> DenseOps.forward(x, w, b));
        OpGradientCheck.check("dense db", b, grads.bias(), g, () -> DenseOps.forward(x, w, b));
        OpGradientCheck.check("dense dx", x, grads.input(), g, () -> DenseOps.forward(x, w, b));
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
            BatchNormOps.Gradients grads = BatchNormOps.backward(x, g, gamma, cache.mean, cache.invStd);
            OpGradientCheck.check("bn dx", x, grads.input(), g, () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            OpGradientCheck.check("bn dgamma", gamma, grads.gamma(), g,
                    () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            OpGradientCheck.check("bn dbeta", beta, grads.beta(), g,
                    () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5).output);
            // Inference with the batch statistics gives the training output.
            INDArray std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(cache.var.add(1e-5));
            TensorAssert.assertClose("inference", cache.output,
                    BatchNormOps.forwardInference(x, gamma, beta, cache.mean, std), 1e-12, 0);
            assertEquals(c, cache.mean.length());
        }
    }

    @Test
    void batchNormChannelsLastEqualsChannelsFirstOnPermutedInput() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 3, 2).subi(0.5).muli(3);
        INDArray xh = x.permute(0, 2, 3, 1).dup('c');
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 4).addi(0.5);
        INDArray beta = Nd4j.rand(DataType.DOUBLE, 4);
        int nhwc = BatchNormOps.CHANNEL_AXIS_NHWC;
        BatchNormOps.Cache first = BatchNormOps.forwardTraining(x, gamma, beta, 1e-5);
        BatchNormOps.Cache last = BatchNormOps.forwardTraining(xh, gamma, beta, 1e-5, nhwc);
        TensorAssert.assertClose("training output", first.output.permute(0, 2, 3, 1), last.output, 1e-12, 0);
        TensorAssert.assertClose("batch mean", first.mean, last.mean, 1e-14, 0);
        TensorAssert.assertClose("batch variance", first.var, last.var, 1e-14, 0);
        INDArray std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(first.var.add(1e-5));
        TensorAssert.assertClose("inference", first.output.permute(0, 2, 3, 1),
                BatchNormOps.forwardInference(xh, gamma, beta, first.mean, std, nhwc), 1e-12, 0);
        INDArray g = Nd4j.rand(DataType.DOUBLE, x.shape()).subi(0.5);
        BatchNormOps.Gradients grads = BatchNormOps.backward(x, g, gamma, first.mean, first.invStd);
        BatchNormOps.Gradients gradsH = BatchNormOps.backward(xh, g.permute(0, 2, 3, 1).dup('c'), gamma, last.mean, last.invStd,
                nhwc);
        TensorAssert.assertClose("dx", grads.input().permute(0, 2, 3, 1), gradsH.input(), 1e-12, 0);
        TensorAssert.assertClose("dgamma", grads.gamma(), gradsH.gamma(), 1e-12, 0);
        TensorAssert.assertClose("dbeta", grads.beta(), gradsH.beta(), 1e-12, 0);
        // A permuted view is accepted as input.
        TensorAssert.assertClose("view input", last.output,
                BatchNormOps.forwardTraining(x.permute(0, 2, 3, 1), gamma, beta, 1e-5, nhwc).output, 1e-12, 0);
    }

    @Test
    void batchNormChannelsLastBackwardMatchesCentralDifferences() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 2, 4).subi(0.5).muli(3);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 4).addi(0.5);
        INDArray beta = Nd4j.rand(DataType.DOUBLE, 4);
        int nhwc = BatchNormOps.CHANNEL_AXIS_NHWC;
        BatchNormOps.Cache cache = BatchNormOps.forwardTraining(x, gamma, beta, 1e-5, nhwc);
        INDArray g = Nd4j.rand(DataType.DOUBLE, x.shape()).subi(0.5);
        BatchNormOps.Gradients grads = BatchNormOps.backward(x, g, gamma, cache.mean, cache.invStd, nhwc);
        OpGradientCheck.check("bn nhwc dx", x, grads.input(), g,
                () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5, nhwc).output);
        OpGradientCheck.check("bn nhwc dgamma", gamma, grads.gamma(), g,
                () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5, nhwc).output);
        OpGradientCheck.check("bn nhwc dbeta", beta, grads.beta(), g,
                () -> BatchNormOps.forwardTraining(x, gamma, beta, 1e-5, nhwc).output);
        assertEquals(4, cache.mean.length());
    }

    /**
     * Float32 runs the Java kernels ({@code BatchNormKernels}) or, with the property off, libnd4j's
     * fused batchnorm / batchnorm_bp (oneDNN); double keeps the explicit formulas checked by central
     * differences above. Both float paths agree with it to float precision, on NCHW, NHWC and
     * (batch, channels) input, small and large enough to run in parallel, and on a non-contiguous input.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void floatPathsAgreeWithTheDoublePath(boolean javaKernels) {
        String before = System.getProperty(BatchNormOps.JAVA_KERNELS_PROPERTY);
        System.setProperty(BatchNormOps.JAVA_KERNELS_PROPERTY, Boolean.toString(javaKernels));
        try {
            compareFloatWithDouble();
        } finally {
            if (before == null) {
                System.clearProperty(BatchNormOps.JAVA_KERNELS_PROPERTY);
            } else {
                System.setProperty(BatchNormOps.JAVA_KERNELS_PROPERTY, before);
            }
        }
    }

    private static void compareFloatWithDouble() {
        Nd4j.getRandom().setSeed(6);
        long[][] shapes = {{5, 3}, {3, 4, 3, 2}, {16, 12, 7, 7}, {4, 3, 5, 6}, {64, 300}, {8, 40, 12, 12}, {8, 9, 10, 48}};
        int[] axes = {1, 1, 1, 3, 1, 1, 3};
        for (int k = 0; k < shapes.length; k++) {
            long[] shape = shapes[k];
            int axis = axes[k];
            int c = (int) shape[axis];
            // An offset of 2 per channel: the centred formulas must not lose digits to the mean.
            INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(3).addi(2);
            INDArray gamma = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
            INDArray beta = Nd4j.rand(DataType.DOUBLE, c);
            INDArray g = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
            BatchNormOps.Cache d = BatchNormOps.forwardTraining(x, gamma, beta, 1e-5, axis);
            BatchNormOps.Gradients dg = BatchNormOps.backward(x, g, gamma, d.mean, d.invStd, axis);
            BatchNormOps.Cache f = BatchNormOps.forwardTraining(x.castTo(DataType.FLOAT), gamma.castTo(DataType.FLOAT),
                    beta.castTo(DataType.FLOAT), 1e-5, axis);
            // The gradient on a transposed copy: a non-contiguous view of the same values.
            INDArray gf = g.castTo(DataType.FLOAT);
            INDArray gView = k % 2 == 0 ? gf : gf.dup('f');
            BatchNormOps.Gradients fg = BatchNormOps.backward(x.castTo(DataType.FLOAT), gView,
                    gamma.castTo(DataType.FLOAT), f.mean, f.invStd, axis);
            String what = Arrays.toString(shape) + " axis " + axis;
            TensorAssert.assertClose(what + " y", d.output, f.output.castTo(DataType.DOUBLE), 1e-5, 1e-4);
            TensorAssert.assertClose(what + " mean", d.mean, f.mean.castTo(DataType.DOUBLE), 1e-6, 1e-5);
            TensorAssert.assertClose(what + " var", d.var, f.var.castTo(DataType.DOUBLE), 1e-6, 1e-5);
            TensorAssert.assertClose(what + " dx", dg.input(), fg.input().castTo(DataType.DOUBLE), 1e-5, 1e-4);
            TensorAssert.assertClose(what + " dgamma", dg.gamma(), fg.gamma().castTo(DataType.DOUBLE), 1e-4, 1e-4);
            TensorAssert.assertClose(what + " dbeta", dg.beta(), fg.beta().castTo(DataType.DOUBLE), 1e-4, 1e-4);
            INDArray std = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
            INDArray mean = Nd4j.rand(DataType.DOUBLE, c);
            TensorAssert.assertClose(what + " inference", BatchNormOps.forwardInference(x, gamma, beta, mean, std, axis),
                    BatchNormOps.forwardInference(x.castTo(DataType.FLOAT), gamma.castTo(DataType.FLOAT),
                            beta.castTo(DataType.FLOAT), mean.castTo(DataType.FLOAT), std.castTo(DataType.FLOAT), axis)
                            .castTo(DataType.DOUBLE), 1e-5, 1e-4);
        }
    }

    @Test
    void batchNormRejectsInvalidChannelAxis() {
        INDArray flat = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormOps.forwardTraining(flat, ones, ones, 1e-5, BatchNormOps.CHANNEL_AXIS_NHWC));
        assertTrue(e.getMessage().contains("channel axis 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormOps.forwardTraining(Nd4j.rand(DataType.DOUBLE, 2, 3, 4), ones, ones, 1e-5));
    }
}
