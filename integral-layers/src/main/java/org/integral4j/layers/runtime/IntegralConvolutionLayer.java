package org.integral4j.layers.runtime;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.integral4j.layers.conf.IntegralConvolution;
import org.integral4j.layers.ops.ConvGeometry;
import org.integral4j.layers.ops.ConvOps;
import org.integral4j.layers.ops.LayerGradients;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Run-time integral convolution (1-D and 2-D): {@code x: (batch, in*, H, W) -> (batch, out*, H', W')}
 * (NCHW), {@code x: (batch, H, W, in*) -> (batch, H', W', out*)} (NHWC) or
 * {@code (batch, in*, L) -> (batch, out*, L')} (1-D) with the sampled weight, calling libnd4j's
 * {@code conv2d}/{@code conv2d_bp} (or the depthwise ops) directly. The pre-activation of a
 * training forward pass is kept (in the activation workspace) for the backward pass instead of
 * recomputing the convolution.
 */
public class IntegralConvolutionLayer extends IntegralLayer<IntegralConvolution> {

    private static final long serialVersionUID = 1L;

    private transient INDArray preActivation;
    private transient INDArray preActivationInput;

    /**
     * Creates the layer.
     *
     * @param conf     configuration
     * @param dataType network data type
     */
    public IntegralConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    private INDArray input4d() {
        INDArray x = input.castTo(dataType);
        IntegralConvolution c = layerConf();
        int rank = c.oneDimensional() ? 3 : 4;
        if (x.rank() != rank) {
            widthMismatch("input has shape " + Arrays.toString(x.shape()),
                    "expected rank " + rank + (c.oneDimensional() ? " (batch, channels, length)"
                            : c.geometry().dataFormat() == ConvGeometry.DataFormat.NHWC
                            ? " (batch, height, width, channels) (NHWC)" : " (batch, channels, height, width) (NCHW)"));
        }
        return c.oneDimensional() ? x.reshape('c', x.size(0), x.size(1), x.size(2), 1) : x;
    }

    private int currentGroups(long inChannels) {
        IntegralConvolution c = layerConf();
        return c.getGroups() > 1 && c.getGroups() == c.getNIn() ? (int) inChannels : c.getGroups();
    }

    private INDArray[] weightAndBias(boolean training, boolean backward, long out, long in, int groups) {
        IntegralConvolution c = layerConf();
        int[] k = c.getKernelSize();
        INDArray w = backward ? sampledForBackward(IntegralConvolution.WEIGHT)
                : sampled(IntegralConvolution.WEIGHT, training);
        w = w.reshape('c', out, in / groups, k[0], k[1]);
        INDArray b = null;
        if (c.isHasBias()) {
            b = backward ? sampledForBackward(IntegralConvolution.BIAS) : sampled(IntegralConvolution.BIAS, training);
            b = b.reshape(out);
        }
        return new INDArray[] {w, b};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        beginForward(training, mgr);
        IntegralConvolution c = layerConf();
        INDArray x = input4d();
        ConvGeometry geo = c.geometry();
        int axis = geo.dataFormat().channelAxis();
        long in = channels(c.getInGroup(), c.getNIn(), training);
        long out = channels(c.getOutGroup(), c.getNOut(), training);
        if (x.size(axis) != in) {
            widthMismatch("input has " + x.size(axis) + " channels on axis " + axis + " (shape "
                            + Arrays.toString(x.shape()) + ", " + geo.dataFormat() + ")",
                    c.getInGroup() == null ? "the layer has " + in + " input channels"
                            : "input group '" + c.getInGroup() + "' currently has " + in + " channels");
        }
        int groups = currentGroups(in);
        INDArray[] wb = weightAndBias(training, false, out, in, groups);
        INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, ConvOps.outputShape(x, wb[0], geo, groups),
                'c');
        ConvOps.forward(x, wb[0], wb[1], geo, groups, z);
        if (training && !(c.getActivationFn() instanceof ActivationIdentity)) {
            // Kept for the backward pass (the activation works in place on z); an identity needs nothing.
            preActivation = mgr.dup(ArrayType.ACTIVATIONS, z);
            preActivationInput = input;
        } else {
            preActivation = null;
            preActivationInput = null;
        }
        INDArray a = c.getActivationFn().getActivation(z, training);
        return c.oneDimensional() ? a.reshape('c', a.size(0), a.size(1), a.size(2)) : a;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        IntegralConvolution c = layerConf();
        INDArray x = input4d();
        ConvGeometry geo = c.geometry();
        long in = x.size(geo.dataFormat().channelAxis());
        long out = channels(c.getOutGroup(), c.getNOut(), true);
        int groups = currentGroups(in);
        INDArray[] wb = weightAndBias(true, true, out, in, groups);
        INDArray eps4 = c.oneDimensional() ? epsilon.reshape('c', epsilon.size(0), epsilon.size(1), epsilon.size(2), 1)
                : epsilon;
        INDArray delta;
        if (c.getActivationFn() instanceof ActivationIdentity) {
            delta = eps4;
        } else {
            INDArray z;
            if (preActivation != null && preActivationInput == input) {
                z = preActivation;
            } else {
                z = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                        ConvOps.outputShape(x, wb[0], geo, groups), 'c');
                ConvOps.forward(x, wb[0], wb[1], geo, groups, z);
            }
            delta = activationGradient(c.getActivationFn(), z, eps4);
        }
        preActivation = null;
        preActivationInput = null;
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        // Weight and bias gradients go into buffers sized for the full width (views at this width).
        INDArray dw = sampledGradientBuffer(IntegralConvolution.WEIGHT, wb[0].shape());
        INDArray db = c.isHasBias() ? sampledGradientBuffer(IntegralConvolution.BIAS, new long[] {out}) : null;
        LayerGradients grads = ConvOps.backward(x, wb[0], wb[1], delta, geo, groups, dx, dw, db);

        Gradient gradient = new DefaultGradient();
        INDArray sampledW = sampledForBackward(IntegralConvolution.WEIGHT);
        gradient.gradientForVariable().put(IntegralConvolution.WEIGHT,
                backwardParam(IntegralConvolution.WEIGHT, grads.weight().reshape('c', sampledW.shape())));
        if (c.isHasBias()) {
            INDArray sampledB = sampledForBackward(IntegralConvolution.BIAS);
            gradient.gradientForVariable().put(IntegralConvolution.BIAS,
                    backwardParam(IntegralConvolution.BIAS, grads.bias().reshape('c', sampledB.shape())));
        }
        INDArray epsNext = c.oneDimensional() ? dx.reshape('c', dx.size(0), dx.size(1), dx.size(2)) : dx;
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }

    @Override
    public void clear() {
        super.clear();
        preActivation = null;
        preActivationInput = null;
    }
}
