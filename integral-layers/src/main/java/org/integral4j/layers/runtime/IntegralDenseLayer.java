package org.integral4j.layers.runtime;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.integral4j.layers.conf.IntegralDense;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run-time integral dense layer: {@code x: (batch, in*) -> a: (batch, out*)} with
 * {@code z = x W^T + b} on the sampled weight {@code W: (out*, in*)}.
 */
public class IntegralDenseLayer extends IntegralLayer<IntegralDense> {

    private static final long serialVersionUID = 1L;

    private transient INDArray preActivation;
    private transient INDArray preActivationInput;

    /**
     * Creates the layer.
     *
     * @param conf     configuration
     * @param dataType network data type
     */
    public IntegralDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private long[] currentShape(boolean training) {
        IntegralDense c = layerConf();
        long out = channels(c.getOutGroup(), c.getNOut(), training);
        long in = channels(c.getInGroup(), c.inChannels(), training) * c.getInBlockSize();
        return new long[] {out, in};
    }

    private INDArray weight(boolean training, boolean backward) {
        long[] shape = currentShape(training);
        INDArray w = backward ? sampledForBackward(IntegralDense.WEIGHT) : sampled(IntegralDense.WEIGHT, training);
        return w.reshape('c', shape[0], shape[1]);
    }

    private INDArray preOutput(boolean training, boolean backward, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray x = input.castTo(dataType);
        long[] shape = currentShape(training);
        if (x.rank() != 2 || x.size(1) != shape[1]) {
            IntegralDense c = layerConf();
            widthMismatch("input has shape " + Arrays.toString(x.shape()),
                    "expected (batch, " + shape[1] + ")" + (c.getInGroup() == null ? ""
                            : ": input group '" + c.getInGroup() + "' currently has "
                            + channels(c.getInGroup(), c.inChannels(), training) + " channels x "
                            + c.getInBlockSize() + " features"));
        }
        INDArray z = mgr.createUninitialized(type, dataType, new long[] {x.size(0), shape[0]}, 'c');
        Nd4j.gemm(x, weight(training, backward), z, false, true, 1.0, 0.0);
        if (layerConf().isHasBias()) {
            INDArray b = backward ? sampledForBackward(IntegralDense.BIAS) : sampled(IntegralDense.BIAS, training);
            z.addiRowVector(b.reshape(1, shape[0]));
        }
        return z;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        beginForward(training, mgr);
        INDArray z = preOutput(training, false, mgr, ArrayType.ACTIVATIONS);
        if (training) {
            // Kept for the backward pass (the activation may work in place on z).
            preActivation = mgr.dup(ArrayType.ACTIVATIONS, z);
            preActivationInput = input;
        } else {
            preActivation = null;
            preActivationInput = null;
        }
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        INDArray z = preActivation != null && preActivationInput == input ? preActivation
                : preOutput(true, true, mgr, ArrayType.BP_WORKING_MEM);
        preActivation = null;
        preActivationInput = null;
        INDArray delta = activationGradient(layerConf().getActivationFn(), z, epsilon);
        INDArray w = weight(true, true);

        Gradient gradient = new DefaultGradient();
        // dL/dW = delta^T x into a buffer sized for the full width (a view at this width).
        INDArray dW = sampledGradientBuffer(IntegralDense.WEIGHT, w.shape());
        Nd4j.gemm(delta, x, dW, true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(IntegralDense.WEIGHT,
                backwardParam(IntegralDense.WEIGHT, dW.reshape('c', sampledForBackward(IntegralDense.WEIGHT).shape())));
        if (layerConf().isHasBias()) {
            gradient.gradientForVariable().put(IntegralDense.BIAS, backwardParam(IntegralDense.BIAS, delta.sum(0)));
        }
        INDArray epsNext = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        Nd4j.gemm(delta, w, epsNext, false, false, 1.0, 0.0);
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }

    @Override
    public void clear() {
        super.clear();
        preActivation = null;
        preActivationInput = null;
    }
}
