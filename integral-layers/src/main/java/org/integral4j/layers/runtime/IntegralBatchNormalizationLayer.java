package org.integral4j.layers.runtime;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.integral4j.function.WeightFunction;
import org.integral4j.grid.Grid1D;
import org.integral4j.layers.conf.IntegralBatchNormalization;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.ops.BatchNormOps;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Run-time integral batch normalisation (see {@link IntegralBatchNormalization}) over the channel
 * axis 1 of {@code (batch, channels*)} and NCHW input, or axis 3 of NHWC input.
 */
public class IntegralBatchNormalizationLayer extends IntegralLayer<IntegralBatchNormalization> {

    private static final long serialVersionUID = 1L;

    private transient Statistics cache;

    /** Batch statistics of the last training forward pass, detached from workspaces. */
    private record Statistics(INDArray mean, INDArray var, INDArray invStd) {
    }
    private transient INDArray cacheInput;
    /** {@code sqrt(var + eps)} of the inference statistics, and the sampled log10 std it was computed from. */
    private transient INDArray inferenceStd;
    private transient INDArray inferenceStdOf;

    /**
     * Creates the layer.
     *
     * @param conf     configuration
     * @param dataType network data type
     */
    public IntegralBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    private INDArray checkedInput(boolean training) {
        INDArray x = input.castTo(dataType);
        IntegralBatchNormalization c = layerConf();
        long channels = channels(c.group(), c.getNOut(), training);
        boolean nhwc = c.getCnn2dFormat() == CNN2DFormat.NHWC;
        if ((x.rank() != 2 && x.rank() != 4) || x.size(c.channelAxis(x.rank())) != channels) {
            widthMismatch("input has shape " + Arrays.toString(x.shape()),
                    "expected (batch, " + channels + ")" + (nhwc ? " or (batch, h, w, " + channels + ") (NHWC)"
                            : " or (batch, " + channels + ", h, w) (NCHW)")
                            + (c.group() == null ? "" : ": group '" + c.group() + "' currently has " + channels
                            + " channels"));
        }
        return x;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        beginForward(training, mgr);
        INDArray x = checkedInput(training);
        IntegralBatchNormalization c = layerConf();
        INDArray gamma = sampled(IntegralBatchNormalization.GAMMA, training);
        INDArray beta = sampled(IntegralBatchNormalization.BETA, training);
        INDArray y;
        if (training) {
            BatchNormOps.Cache step = BatchNormOps.forwardTraining(x, gamma, beta, c.getEps(),
                    c.channelAxis(x.rank()));
            // Keep only the small statistics, outside the forward pass's working memory.
            cache = new Statistics(step.mean.detach(), step.var.detach(), step.invStd.detach());
            cacheInput = input;
            y = step.output;
        } else {
            cache = null;
            cacheInput = null;
            INDArray mean = sampled(IntegralBatchNormalization.MEAN, false);
            INDArray log10std = sampled(IntegralBatchNormalization.LOG10_STD, false);
            if (log10std != inferenceStdOf || !spec(IntegralBatchNormalization.LOG10_STD).isFunction()) {
                // Sampled statistics are cached (a new array once the grid or the parameters change), so
                // std is cached with them; a discrete statistic is the live parameter and recomputed.
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    inferenceStd = Transforms.sqrt(variance(log10std).addi(c.getEps()), false);
                }
                inferenceStdOf = log10std;
            }
            y = BatchNormOps.forwardInference(x, gamma, beta, mean, inferenceStd, c.channelAxis(x.rank()));
        }
        return mgr.leverageTo(ArrayType.ACTIVATIONS, y);
    }

    /** {@code var = (10^log10std)^2 = 10^(2 log10std)}. */
    private static INDArray variance(INDArray log10std) {
        return Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()), log10std.mul(2), false);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        IntegralBatchNormalization c = layerConf();
        INDArray x = checkedInput(true);
        INDArray gamma = sampledForBackward(IntegralBatchNormalization.GAMMA);
        Statistics forward = cache;
        if (forward == null || cacheInput != input) {
            BatchNormOps.Cache step = BatchNormOps.forwardTraining(x, gamma,
                    sampledForBackward(IntegralBatchNormalization.BETA), c.getEps(), c.channelAxis(x.rank()));
            forward = new Statistics(step.mean, step.var, step.invStd);
        }
        cache = null;
        cacheInput = null;
        BatchNormOps.Gradients grads = BatchNormOps.backward(x, epsilon, gamma, forward.mean(), forward.invStd(),
                c.channelAxis(x.rank()));

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(IntegralBatchNormalization.GAMMA,
                backwardParam(IntegralBatchNormalization.GAMMA, grads.gamma()));
        gradient.gradientForVariable().put(IntegralBatchNormalization.BETA,
                backwardParam(IntegralBatchNormalization.BETA, grads.beta()));

        // Running statistics: "gradient" = old - new under a NoOp updater (as DL4J's batch norm).
        double d = c.getDecay();
        INDArray sampledMean = sampledForBackward(IntegralBatchNormalization.MEAN);
        INDArray targetMean = sampledMean.mul(d).addi(forward.mean().mul(1 - d));
        INDArray sampledVar = variance(sampledForBackward(IntegralBatchNormalization.LOG10_STD));
        INDArray targetVar = sampledVar.mul(d).addi(forward.var().mul(1 - d));
        INDArray targetLog10Std = Transforms.log(targetVar, false).divi(2 * Math.log(10));
        gradient.gradientForVariable().put(IntegralBatchNormalization.MEAN,
                runningUpdate(IntegralBatchNormalization.MEAN, sampledMean, targetMean));
        gradient.gradientForVariable().put(IntegralBatchNormalization.LOG10_STD,
                runningUpdate(IntegralBatchNormalization.LOG10_STD,
                        sampledForBackward(IntegralBatchNormalization.LOG10_STD), targetLog10Std));

        INDArray epsNext = mgr.leverageTo(ArrayType.ACTIVATION_GRAD, grads.input());
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }

    /**
     * Writes {@code old - new} knot values into the gradient view of a running statistic, where the
     * new knots move the sampled values towards {@code target}: the residual at the grid points is
     * spread onto the knots by the transposed interpolation, normalised by each knot's total
     * interpolation weight (the identity at full size).
     */
    private INDArray runningUpdate(String key, INDArray sampledNow, INDArray target) {
        ParamSpec p = spec(key);
        INDArray gradView = gradientViews.get(key);
        INDArray residual = target.sub(sampledNow);
        if (!p.isFunction()) {
            gradView.assign(residual.negi());
            return gradView;
        }
        WeightFunction f = p.function();
        Grid1D grid = grid(p.groups()[0], f.weightShape()[0], true);
        INDArray lambda = getParam(key);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray spread = f.backward(lambda, residual.castTo(lambda.dataType()), false, grid).lambda();
            INDArray weight = f.backward(lambda, Nd4j.onesLike(residual).castTo(lambda.dataType()), false, grid).lambda();
            INDArray safe = Transforms.max(weight, 1e-12, true);
            INDArray delta = spread.divi(safe);
            delta.muli(weight.gt(1e-12).castTo(delta.dataType()));
            gradView.assign(delta.negi());
        }
        return gradView;
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return spec(paramName).role() != ParamSpec.Role.RUNNING_STATISTIC;
    }

    @Override
    public void clear() {
        super.clear();
        cache = null;
        cacheInput = null;
    }
}
