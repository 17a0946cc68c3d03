package org.integral4j.layers.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.integral4j.function.WeightGradients;
import org.integral4j.grid.Grid1D;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Run-time base of the integral layers: turns the knot tensors in the parameter views into sampled
 * weights on the current grids of the layer's channel groups, caches them, and maps gradients of
 * sampled weights back to the knot tensors (and to trainable grid points).
 *
 * <p>Sampling policy: a training forward pass samples afresh (the knots change every step, and the
 * grids may have been redrawn) and keeps the result for the backward pass; an inference forward
 * pass reuses the cached weights while the groups' grids and the knot values are unchanged
 * (checked by group versions and a checksum of the parameters, so a {@code net.setParams(...)}
 * behind the layer's back is noticed). TorchIntegral resamples on every call.
 *
 * <p>Random widths: training samples and the gradients of sampled weights live in buffers
 * allocated once at full width ({@link WidthBuffers}) and viewed at the width drawn for the step,
 * and the resampling itself runs in place in the parameters' precision
 * ({@link org.integral4j.function.WeightFunction#sampleInto}), so a step at a new width allocates
 * nothing for them.
 *
 * @param <C> the layer's configuration type
 */
public abstract class IntegralLayer<C extends IntegralLayerConf> extends BaseLayer<C> {

    private static final long serialVersionUID = 1L;

    private transient ChannelGroups groups;
    private final transient Map<String, Sample> samples = new HashMap<>();
    private final transient WidthBuffers trainingBuffers = new WidthBuffers();
    private final transient WidthBuffers gradientBuffers = new WidthBuffers();
    private transient Map<String, ParamSpec> specs;
    private transient Object specsOf;
    /** Columns of the parameter checksum's random projection ({@link #dropStaleSamples}). */
    private static final int CHECKSUM_COLUMNS = 256;
    /** Layers with at most this many parameters use one dot product with a full random vector. */
    private static final long CHECKSUM_FULL_LIMIT = 1L << 20;
    private transient INDArray checksumColumns;
    private transient INDArray checksumRows;
    private transient INDArray checksumRowSums;
    private transient double checksum = Double.NaN;

    /** A sampled parameter and what it was computed from. */
    private static final class Sample {
        final INDArray value;
        final Grid1D[] grids;
        final long[] versions;
        final boolean training;

        Sample(INDArray value, Grid1D[] grids, long[] versions, boolean training) {
            this.value = value;
            this.grids = grids;
            this.versions = versions;
            this.training = training;
        }
    }

    /**
     * Creates the layer.
     *
     * @param conf     its configuration
     * @param dataType the network's data type
     */
    protected IntegralLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * Connects this layer to the channel groups of the model that owns it. Called by
     * {@code IntegralNetworks.bind}; until then the layer runs at full size.
     *
     * @param groups the model's groups (every group named in the configuration must exist)
     */
    public void bind(ChannelGroups groups) {
        C c = layerConf();
        for (ParamSpec p : c.parameters()) {
            for (int i = 0; i < p.groups().length; i++) {
                ChannelGroup g = groups.get(p.groups()[i]);
                long full = p.function().weightShape()[p.function().continuousAxes()[i]];
                if (p.onParts()) {
                    if (!(g instanceof PartitionedChannelGroup pg)) {
                        throw new IllegalArgumentException(c.describe() + ": group '" + g.name() + "' feeds a grouped "
                                + "convolution, so it must be created with ChannelGroups.addPartitioned(name, size, "
                                + "groups).");
                    }
                    full *= pg.parts();
                }
                if (g.fullSize() != full) {
                    throw new IllegalArgumentException(c.describe() + ": group '" + g.name() + "' has full size "
                            + g.fullSize() + " but this layer's parameter '" + p.key() + "' has " + full
                            + " channels on that axis. Every member of a group must have the same channel count.");
                }
            }
        }
        this.groups = groups;
        invalidateCache();
    }

    /**
     * The groups this layer is bound to.
     *
     * @return the groups, or null when unbound (full size)
     */
    public ChannelGroups groups() {
        return groups;
    }

    /** Drops cached sampled weights; they are recomputed on the next forward pass. */
    public void invalidateCache() {
        samples.clear();
        checksum = Double.NaN;
    }

    /**
     * The opening every integral layer's {@code activate} shares: checks that an input is set,
     * applies input dropout in training and, in inference, drops samples cached for parameters
     * that changed since ({@link #dropStaleSamples()}).
     *
     * @param training whether this is a training forward pass
     * @param mgr      the workspace manager of the pass
     */
    protected void beginForward(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        if (!training) {
            dropStaleSamples();
        }
    }

    /**
     * Drops the cached inference samples when the parameters changed since they were computed.
     * Layers call it once at the start of every inference forward pass. The check is a fixed random
     * projection of the layer's flat parameters {@code p} (length {@code n = m k + t}):
     * <pre>
     *   c = sum_r b_r (p[r k .. r k + k) . a) + b_m (p[m k .. n) . a[0 .. t))
     * </pre>
     * with random weights {@code a} (length {@code k}) and {@code b} (length {@code m + 1}) in
     * [0.5, 1.5): every parameter gets the weight {@code a_(i mod k) b_(i div k)}, so the check
     * notices any change that matters, including a permutation of channels (which a sum or a norm
     * would not), also when the parameters were set through the network
     * ({@code net.setParams(...)}) without the layer knowing. One matrix-vector product reads the
     * parameters once; the weights take {@code k + m + 1} values instead of a second copy of the
     * parameters. Layers with at most {@value #CHECKSUM_FULL_LIMIT} parameters use one dot
     * product with a full random vector instead (one native call; the views and calls of the
     * projection cost more there).
     */
    protected void dropStaleSamples() {
        INDArray flat = params();
        if (flat == null || flat.length() == 0) {
            return;
        }
        long n = flat.length();
        double now = n <= CHECKSUM_FULL_LIMIT ? fullChecksum(flat) : projectedChecksum(flat);
        if (Double.compare(now, checksum) != 0) {
            samples.values().removeIf(s -> !s.training);
            checksum = now;
        }
    }

    /** One dot product with a parameter-sized random vector (small layers: one native op). */
    private double fullChecksum(INDArray flat) {
        if (checksumColumns == null || checksumRows != null || checksumColumns.length() != flat.length()
                || checksumColumns.dataType() != flat.dataType()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                checksumColumns = Nd4j.getExecutioner().exec(new UniformDistribution(
                        Nd4j.createUninitialized(flat.dataType(), flat.length()), 0.5, 1.5),
                        Nd4j.getRandomFactory().getNewRandomInstance(0x1d7e9a1L));
                checksumRows = null;
            }
        }
        return Nd4j.getBlasWrapper().dot(flat.reshape(flat.length()), checksumColumns);
    }

    /** The rank-1 projection (large layers: one GEMV, no parameter-sized weight vector). */
    private double projectedChecksum(INDArray flat) {
        long n = flat.length();
        int k = CHECKSUM_COLUMNS;
        long m = n / k;
        long tail = n - m * k;
        if (checksumColumns == null || checksumRows == null || checksumRows.length() != m + 1
                || checksumColumns.length() != k || checksumColumns.dataType() != flat.dataType()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(0x1d7e9a1L);
                checksumColumns = Nd4j.getExecutioner().exec(new UniformDistribution(
                        Nd4j.createUninitialized(flat.dataType(), k), 0.5, 1.5), rng);
                checksumRows = Nd4j.getExecutioner().exec(new UniformDistribution(
                        Nd4j.createUninitialized(flat.dataType(), m + 1), 0.5, 1.5), rng);
                checksumRowSums = Nd4j.createUninitialized(flat.dataType(), m, 1);
            }
        }
        INDArray v = flat.reshape(n);
        INDArray head = v.get(NDArrayIndex.interval(0, m * k)).reshape('c', m, k);
        Nd4j.gemm(head, checksumColumns.reshape(k, 1), checksumRowSums, false, false, 1.0, 0.0);
        double now = Nd4j.getBlasWrapper().dot(checksumRowSums.reshape(m),
                checksumRows.get(NDArrayIndex.interval(0, m)));
        if (tail > 0) {
            now += checksumRows.getDouble(m) * Nd4j.getBlasWrapper().dot(v.get(NDArrayIndex.interval(m * k, n)),
                    checksumColumns.get(NDArrayIndex.interval(0, tail)));
        }
        return now;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void setParams(INDArray params) {
        // The views are 'c'-ordered; BaseLayer's default would re-lay them in 'f' order.
        setParams(params, 'c');
        invalidateCache();
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        super.setParamsViewArray(params);
        invalidateCache();
    }

    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);
        invalidateCache();
    }

    /**
     * The specification of a parameter, built once per configuration (building it creates weight
     * functions, which the forward pass should not repeat).
     *
     * @param key the parameter key
     * @return the specification
     */
    protected ParamSpec spec(String key) {
        C c = layerConf();
        if (specs == null || specsOf != c) {
            Map<String, ParamSpec> m = new HashMap<>();
            for (ParamSpec p : c.parameters()) {
                m.put(p.key(), p);
            }
            specs = m;
            specsOf = c;
        }
        ParamSpec p = specs.get(key);
        if (p == null) {
            throw new IllegalArgumentException(c.describe() + ": no parameter '" + key + "'.");
        }
        return p;
    }

    /**
     * The current grid of a channel group in the given mode.
     *
     * @param group    the group name
     * @param fullSize its full size (used when the layer is unbound)
     * @param training the mode
     * @return the grid
     */
    protected Grid1D grid(String group, long fullSize, boolean training) {
        if (groups == null) {
            return Grid1D.uniform((int) fullSize);
        }
        return groups.get(group).grid(training);
    }

    /**
     * The current channel count of an axis: its group's grid size, or the full size when discrete.
     *
     * @param group    the group name, or null for a discrete axis
     * @param fullSize the full size
     * @param training the mode
     * @return the channel count
     */
    protected long channels(String group, long fullSize, boolean training) {
        return group == null ? fullSize : grid(group, fullSize, training).size();
    }

    private Grid1D[] gridsOf(ParamSpec p, boolean training) {
        Grid1D[] g = new Grid1D[p.groups().length];
        int[] axes = p.function().continuousAxes();
        for (int i = 0; i < g.length; i++) {
            long full = p.function().weightShape()[axes[i]];
            if (p.onParts() && groups != null) {
                g[i] = ((PartitionedChannelGroup) groups.get(p.groups()[i])).partGrid(training);
            } else {
                g[i] = p.onParts() ? Grid1D.uniform((int) full) : grid(p.groups()[i], full, training);
            }
        }
        return g;
    }

    private long[] versionsOf(ParamSpec p) {
        long[] v = new long[p.groups().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = groups == null ? 0 : groups.get(p.groups()[i]).version();
        }
        return v;
    }

    /**
     * The sampled value of a parameter on the current grids: a weight function is sampled, a
     * discrete parameter is returned as is (its live view).
     *
     * @param key      the parameter key
     * @param training the mode
     * @return the sampled tensor (do not modify)
     */
    protected INDArray sampled(String key, boolean training) {
        ParamSpec p = spec(key);
        INDArray view = getParam(key);
        if (!p.isFunction()) {
            return view;
        }
        long[] versions = versionsOf(p);
        Sample s = samples.get(key);
        if (!training && s != null && !s.training && Arrays.equals(s.versions, versions)) {
            return s.value;
        }
        Grid1D[] grids = gridsOf(p, training);
        INDArray value;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (training) {
                // Training samples are only read by this layer's backward pass: one buffer sized for
                // the full width, viewed at the drawn width, so random widths allocate nothing.
                INDArray buffer = trainingBuffers.view(key, view.dataType(), p.function().sampledShape(grids),
                        fullLength(p));
                value = p.function().sampleInto(view, buffer, grids);
            } else {
                value = p.function().sample(view, grids);
            }
        }
        samples.put(key, new Sample(value, grids, versions, training));
        return value;
    }

    /** Element count of a parameter's sampled value at full width. */
    private static long fullLength(ParamSpec p) {
        long n = 1;
        for (long d : p.function().weightShape()) {
            n *= d;
        }
        return n;
    }

    /**
     * A reusable array for the gradient of a parameter's sampled value ({@code dL/dW} at the current
     * width), to be filled by the backward op and then passed to {@link #backwardParam}: a view of a
     * buffer sized for the full width, so changing widths allocate nothing. Its contents are
     * undefined and it is valid until the next call for the same key.
     *
     * @param key   the parameter key
     * @param shape the current shape of the gradient (the op's layout, e.g. {@code (out, in, kH, kW)})
     * @return a 'c'-ordered array of that shape with default strides
     */
    protected INDArray sampledGradientBuffer(String key, long[] shape) {
        ParamSpec p = spec(key);
        long full = p.isFunction() ? fullLength(p) : getParam(key).length();
        return gradientBuffers.view(key, dataType, shape, full);
    }

    /**
     * The value of a parameter on the current evaluation grids: what an exported plain layer
     * uses. Do not modify the result (it may be the inference cache).
     *
     * @param key the parameter key
     * @return the sampled tensor in the parameter's layout with each continuous axis at its
     *         current size
     */
    public INDArray sampledParameter(String key) {
        dropStaleSamples();
        return sampled(key, false);
    }

    /**
     * The sampled value used by the last training forward pass (for the backward pass); sampled
     * afresh when there was none.
     *
     * @param key the parameter key
     * @return the sampled tensor (do not modify)
     */
    protected INDArray sampledForBackward(String key) {
        ParamSpec p = spec(key);
        if (!p.isFunction()) {
            return getParam(key);
        }
        Sample s = samples.get(key);
        if (s != null && s.training && Arrays.equals(s.versions, versionsOf(p))) {
            return s.value;
        }
        return sampled(key, true);
    }

    /**
     * Writes the gradient of a parameter from the gradient of its sampled value: into the
     * parameter's gradient view (through the transposed interpolation for a weight function) and,
     * for trainable grids, into the groups' accumulated grid gradients.
     *
     * @param key      the parameter key
     * @param dSampled {@code dL/d(sampled)}, the shape of {@link #sampled} (not modified)
     * @return the gradient view
     */
    protected INDArray backwardParam(String key, INDArray dSampled) {
        ParamSpec p = spec(key);
        INDArray gradView = gradientViews.get(key);
        if (!p.isFunction()) {
            gradView.assign(dSampled.reshape(gradView.shape()));
            return gradView;
        }
        Sample s = samples.get(key);
        Grid1D[] grids = s != null && s.training && Arrays.equals(s.versions, versionsOf(p)) ? s.grids
                : gridsOf(p, true);
        boolean trainableGrid = false;
        for (String g : p.groups()) {
            trainableGrid |= groups != null && groups.get(g).isTrainable();
        }
        if (!trainableGrid) {
            return p.function().lambdaGradientInto(getParam(key), dSampled, gradView, grids);
        }
        WeightGradients g;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            g = p.function().backward(getParam(key), dSampled, true, grids);
        }
        gradView.assign(g.lambda());
        if (trainableGrid) {
            for (int i = 0; i < p.groups().length; i++) {
                groups.get(p.groups()[i]).accumulateGridGradient(g.grid(i));
            }
        }
        return gradView;
    }

    /**
     * {@code dL/dz} from {@code dL/da} for {@code a = fn(z)}, overwriting {@code z} (the layer's own
     * pre-activation, not needed afterwards). For a plain ReLU this is {@code eps * step(z)} with two
     * elementwise ops in place: libnd4j's {@code relu_bp}, which DL4J's {@code ActivationReLU.backprop}
     * calls into a fresh array, took about 7x longer on a (64, 32, 26, 26) activation (10.6 ms
     * against 1.5 ms, measured under load). Other activations use their own {@code backprop}.
     *
     * @param fn      the activation
     * @param z       the pre-activation (modified for ReLU)
     * @param epsilon {@code dL/da}, the shape of z (not modified)
     * @return {@code dL/dz}
     */
    protected static INDArray activationGradient(IActivation fn, INDArray z, INDArray epsilon) {
        if (fn instanceof ActivationReLU r && r.getMax() == null && r.getNegativeSlope() == null
                && (r.getThreshold() == null || r.getThreshold() == 0.0)
                && java.util.Arrays.equals(z.shape(), epsilon.shape())) {
            Nd4j.exec(new Step(z, z, 0.0));
            return z.muli(epsilon);
        }
        return fn.backprop(z, epsilon).getFirst();
    }

    /**
     * Throws DL4J's usual exception for an input whose width does not match the current grid.
     *
     * @param what     what was wrong, e.g. "input has 37 channels"
     * @param expected the expectation, e.g. "group 'g2' currently has 32 channels"
     */
    protected void widthMismatch(String what, String expected) {
        throw new DL4JInvalidInputException(layerConf().describe() + ": " + what + ", but " + expected
                + ". Resize the group that feeds this layer (or bind the network with IntegralNetworks.bind) so "
                + "that producer and consumer sample the same grid. " + layerId());
    }
}
