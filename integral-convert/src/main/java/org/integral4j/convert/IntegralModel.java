package org.integral4j.convert;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.integral4j.convert.budget.Budget;
import org.integral4j.convert.budget.BudgetResult;
import org.integral4j.convert.budget.BudgetSearch;
import org.integral4j.convert.budget.CostModel;
import org.integral4j.convert.calibration.CalibratedNetwork;
import org.integral4j.convert.calibration.Calibration;
import org.integral4j.convert.calibration.CalibrationInputs;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.convert.calibration.CalibrationSubject;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.kinds.LayerRegistry;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.conf.Freeze;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.grid.PartitionedChannelGroup;
import org.integral4j.layers.train.GridTuningListener;
import org.integral4j.layers.train.RandomPartitionListener;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J network converted to an Integral Neural Network by {@link IntegralWrapper}: the integral
 * network (same type as the source), its named channel groups in network order, and what is
 * needed to export plain smaller networks.
 *
 * <pre>{@code
 * IntegralModel inn = IntegralWrapper.builder().build().wrapModel(net);
 * inn.groupNames();                     // [conv1.out, conv2.out, fc1.out]
 * inn.resize("conv2.out", 40);          // one group
 * inn.resize(0.5);                      // every group at half width
 * inn.metrics(InputType.convolutional(28, 28, 1));
 * Model smaller = inn.toDiscrete();     // a plain MultiLayerNetwork/ComputationGraph
 * inn.save(new File("inn.zip"));
 * }</pre>
 *
 * <p><b>Sizes.</b> One contract for every resize method (and the command line): a width ratio is
 * a finite number in {@code (0, 1]}; a group's size lies in {@code [minimumSize(group),
 * fullSize(group)]} (the minimum is 2 channels, or 2 per block for a group feeding a grouped
 * convolution, whose sizes are multiples of the block count). Anything else, NaN and the
 * infinities included, is an {@link InvalidSizeException} naming the group and the valid range;
 * the model is then unchanged. A network never grows beyond its full size.
 *
 * <p><b>Threads.</b> The model is mutable (sizes, distributions, trainable grids). Its own methods
 * are safe to call from several threads: {@link #output(INDArray)}, {@link #outputs},
 * {@link #toDiscrete()}, {@link #metrics}, {@link #parameterCount}, {@link #sizes()},
 * {@link #describe()} and {@link #save} hold a shared (read) lock, and every method that changes
 * the model ({@code resize}, {@link #randomPartitions}, {@link #gridTuning}) holds the exclusive
 * (write) lock, so a forward pass or an export that runs while another thread resizes sees either
 * all the old sizes or all the new ones, never a mix, and never fails because of the resize. (The
 * forward passes themselves run one at a time: DL4J's {@code output} is synchronized on the
 * network, and exports take turns with them because the layers cache sampled weights.) Objects
 * reached through {@link #network()} and {@link #groups()} are not guarded:
 * calling {@code network().output(...)} or {@code groups().get(g).resize(...)} directly, or training
 * with {@code fit()}, while another thread uses the model is not safe.
 *
 * <p>The source network is not referenced.
 */
public final class IntegralModel {

    private static final Logger LOG = LoggerFactory.getLogger(IntegralModel.class);

    /** The entry of a saved model's zip that holds the Integral4J description (as stored in the zip). */
    public static final String FILE_ENTRY = IntegralModelIO.ENTRY;

    /** Guards the sizes, the grids and {@link #network}: shared for reads, exclusive for changes. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Dl4jNetwork network;
    private final ChannelGroups groups;
    private final ChannelGroupAnalysis analysis;
    private final List<NodeRecord> records;
    private final Dl4jConfiguration sourceConf;
    private final LayerRegistry registry;
    /** The resizable groups (not the concatenations), in network order, with their size ranges. */
    private final Map<String, SizeRules.Range> ranges;
    /** See {@link ResizeResult#resizableShare()}; NaN until first needed. */
    private volatile double resizableShare = Double.NaN;
    private CalibratedNetwork calibrated;
    private List<Object> calibratedStamp;

    IntegralModel(Dl4jNetwork network, ChannelGroups groups, ChannelGroupAnalysis analysis, List<NodeRecord> records,
                  Dl4jConfiguration sourceConf, LayerRegistry registry) {
        this.network = network;
        this.groups = groups;
        this.analysis = analysis;
        this.records = List.copyOf(records);
        this.sourceConf = sourceConf;
        this.registry = registry;
        Map<String, SizeRules.Range> r = new LinkedHashMap<>();
        for (ChannelGroup g : groups.all()) {
            if (!g.isComposite()) {
                r.put(g.name(), new SizeRules.Range(g.name(), g.fullSize(),
                        g instanceof PartitionedChannelGroup p ? p.parts() : 1));
            }
        }
        this.ranges = Collections.unmodifiableMap(r);
    }

    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs an action that uses the network's layers under the read lock and the network's monitor
     * (the one DL4J's {@code output} methods synchronize on): the layers' caches of sampled
     * weights are not safe for concurrent use, so forward passes and exports take turns.
     */
    private <T> T onNetwork(Function<Dl4jNetwork, T> action) {
        return read(() -> {
            Dl4jNetwork net = network;
            synchronized (net.model()) {
                return action.apply(net);
            }
        });
    }

    private void write(Runnable action) {
        lock.writeLock().lock();
        try {
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The integral network. Train it with {@code fit()}, evaluate it with {@code output()}. Calls
     * on it are not guarded by this model's lock; use {@link #output(INDArray)} when other threads
     * may resize the model.
     *
     * @return a {@link MultiLayerNetwork} or {@link ComputationGraph}
     */
    public Model network() {
        return network.model();
    }

    /**
     * The integral network behind the network adapter (configuration, layers by name, outputs,
     * activations); the same network as {@link #network()}.
     *
     * @return the adapter
     */
    public Dl4jNetwork dl4jNetwork() {
        return network;
    }

    /**
     * The integral network as a multi-layer network.
     *
     * @return the network
     * @throws IllegalStateException when it is a computation graph
     */
    public MultiLayerNetwork multiLayerNetwork() {
        return network.multiLayerNetwork();
    }

    /**
     * The integral network as a computation graph.
     *
     * @return the graph
     * @throws IllegalStateException when it is a multi-layer network
     */
    public ComputationGraph computationGraph() {
        return network.computationGraph();
    }

    /**
     * The channel groups (the grid state).
     *
     * @return the groups
     */
    public ChannelGroups groups() {
        return groups;
    }

    /**
     * The analysis that found the groups (null for a model loaded from a file).
     *
     * @return the analysis, or null
     */
    public ChannelGroupAnalysis analysis() {
        return analysis;
    }

    /**
     * The names of the resizable groups in network order (concatenations are resized through their
     * parts and are not listed).
     *
     * @return the names (unmodifiable)
     */
    public List<String> groupNames() {
        return List.copyOf(ranges.keySet());
    }

    /**
     * Current size of every resizable group (one consistent reading, taken under the read lock).
     *
     * @return group name to channel count, in network order
     */
    public Map<String, Integer> sizes() {
        return read(this::currentSizes);
    }

    private Map<String, Integer> currentSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String name : ranges.keySet()) {
            sizes.put(name, groups.get(name).size());
        }
        return sizes;
    }

    /**
     * The current size of a group.
     *
     * @param group the group name
     * @return its channel count
     * @throws InvalidSizeException when the model has no resizable group of that name
     */
    public int size(String group) {
        range(group);
        return read(() -> groups.get(group).size());
    }

    /**
     * The full (original) size of a group: the largest size it takes.
     *
     * @param group the group name
     * @return its original channel count
     * @throws InvalidSizeException when the model has no resizable group of that name
     */
    public int fullSize(String group) {
        return range(group).fullSize();
    }

    /**
     * The smallest size a group takes: 2 channels (a grid needs two points to stay a function), or
     * 2 per block for a group that feeds a grouped convolution with that many blocks.
     *
     * @param group the group name
     * @return the minimum channel count
     * @throws InvalidSizeException when the model has no resizable group of that name
     */
    public int minimumSize(String group) {
        return range(group).minimum();
    }

    /**
     * Resizes one group.
     *
     * @param group the group name
     * @param size  channel count in {@code [minimumSize(group), fullSize(group)]}
     * @return what changed
     * @throws InvalidSizeException for an unknown group or a size out of range (the model is unchanged)
     */
    public ResizeResult resize(String group, int size) {
        return resize(Map.of(Checks.requireNonNull("IntegralModel", "group", group), size));
    }

    /**
     * Resizes every group to {@code round(ratio * fullSize)} channels, clamped to
     * {@code [minimumSize, fullSize]} (for a group of {@code p} blocks:
     * {@code p * round(ratio * fullSize / p)}, clamped likewise). When no group can be resized
     * (every channel group is discrete), or the resizable groups hold only a small part of the
     * parameters, a warning says so and why; the result tells the caller too.
     *
     * @param ratio width ratio, a finite number in {@code (0, 1]} (1 is the full size)
     * @return what changed, and how much of the network a resize can reach
     * @throws InvalidSizeException when the ratio is outside {@code (0, 1]}, NaN or infinite (the
     *                              model is unchanged)
     */
    public ResizeResult resize(double ratio) {
        return resize(TargetSizes.builder().ratio(ratio).build());
    }

    /**
     * Resizes several groups at once: all sizes are checked first, then applied together under
     * the write lock, so another thread sees either none or all of them.
     *
     * @param sizes group name to channel count (not modified); each in {@code [minimumSize, fullSize]}
     * @return what changed
     * @throws InvalidSizeException for an unknown group or a size out of range (the model is unchanged)
     */
    public ResizeResult resize(Map<String, Integer> sizes) {
        Checks.requireNonNull("IntegralModel", "sizes", sizes);
        TargetSizes.Builder b = TargetSizes.builder();
        sizes.forEach(b::size);
        return resize(b.build());
    }

    /**
     * Applies a size request (a ratio for every group, then sizes of named groups), checked first
     * and applied together.
     *
     * @param target the request
     * @return what changed
     * @throws InvalidSizeException for an unknown group or a size out of range (the model is unchanged)
     */
    public ResizeResult resize(TargetSizes target) {
        Checks.requireNonNull("IntegralModel", "target", target);
        Map<String, Integer> sizes = SizeRules.resolve(target, ranges, name -> SizeRules.whyNotResizable(analysis,
                name));
        Map<String, Integer> before = new LinkedHashMap<>();
        Map<String, Integer> after = new LinkedHashMap<>();
        write(() -> {
            before.putAll(currentSizes());
            sizes.forEach((name, size) -> {
                ChannelGroup g = groups.get(name);
                if (g.size() != size) {
                    g.resize(size);
                }
            });
            after.putAll(currentSizes());
        });
        ResizeResult result = new ResizeResult(before, after, resizableShare());
        if (target.ratio().isPresent() && target.ratio().getAsDouble() < 1) {
            ResizeWarnings.warnIfLittleChanges(target.ratio().getAsDouble(), result, analysis);
        }
        return result;
    }

    /** The fraction of the source's parameters in layers with a continuous axis (computed once). */
    private double resizableShare() {
        double share = resizableShare;
        if (Double.isNaN(share)) {
            share = ResizeWarnings.resizableShare(sourceConf, records);
            resizableShare = share;
        }
        return share;
    }

    private SizeRules.Range range(String name) {
        Checks.requireNonNull("IntegralModel", "group", name);
        SizeRules.Range r = ranges.get(name);
        if (r == null) {
            throw SizeRules.unknownGroup(name, ranges, SizeRules.whyNotResizable(analysis, name));
        }
        return r;
    }

    /**
     * The network's output for one input, in inference mode, at the current sizes. Safe while
     * other threads resize the model (see the class comment): the result is the output at the
     * sizes before or after a concurrent resize, never a mix.
     *
     * @param input the features, e.g. {@code (batch, channels, height, width)} for images (not modified)
     * @return the output of the network's only output layer, detached from any workspace
     * @throws IllegalStateException when the network is a graph with more than one input or output
     */
    public INDArray output(INDArray input) {
        Checks.requireNonNull("IntegralModel.output", "input", input);
        return onNetwork(net -> {
            if (net.inputNames().size() != 1 || net.outputNames().size() != 1) {
                throw new IllegalStateException("this graph has " + net.inputNames().size() + " input(s) and "
                        + net.outputNames().size() + " output(s); use outputs(INDArray...).");
            }
            return net.output(input)[0];
        });
    }

    /**
     * The network's outputs, in inference mode, at the current sizes; safe while other threads
     * resize the model (see the class comment).
     *
     * @param inputs one array per network input, in the graph's input order (not modified)
     * @return one array per network output
     * @throws IllegalArgumentException when the number of inputs does not match the network
     */
    public INDArray[] outputs(INDArray... inputs) {
        Checks.requireNonNull("IntegralModel.outputs", "inputs", inputs);
        return onNetwork(net -> net.output(inputs));
    }

    /**
     * Switches on random-partition training: every group's size is drawn per iteration between
     * {@code minRatio * fullSize} and the full size.
     *
     * @param minRatio smallest size as a fraction of the full size, in (0, 1]
     * @param normal   true for the half-normal distribution that favours the full size, false for uniform
     * @return the listener to add to the network ({@code network().addListeners(...)})
     */
    public RandomPartitionListener randomPartitions(double minRatio, boolean normal) {
        write(() -> groups.setDistributions(minRatio, normal));
        return new RandomPartitionListener(groups);
    }

    /**
     * Switches on grid tuning: the grid points of every group become trainable, the given
     * parameters are frozen, and the network is rebuilt with those settings (same parameters,
     * same listeners) with the grid-tuning listener added. Fetch {@link #network()} again
     * afterwards and train it with {@code fit()}.
     *
     * @param freeze       which parameters stay fixed ({@link Freeze#ALL}: only grids train;
     *                     {@link Freeze#WEIGHTS}: biases and batch norm train too)
     * @param learningRate Adam step size of the grid points
     * @return the listener that trains the grids (already added to the rebuilt network)
     */
    public GridTuningListener gridTuning(Freeze freeze, double learningRate) {
        Checks.requireNonNull("IntegralModel", "freeze", freeze);
        lock.writeLock().lock();
        try {
            Collection<TrainingListener> listeners = network.listeners();
            rebuildWithFreeze(freeze);
            for (String name : groupNames()) {
                ChannelGroup g = groups.get(name);
                if (!(g instanceof PartitionedChannelGroup)) {
                    g.makeTrainable(TrainableGrid.Endpoints.PINNED);
                }
            }
            GridTuningListener tuning = new GridTuningListener(groups, learningRate);
            List<TrainingListener> all = new ArrayList<>(listeners);
            all.add(tuning);
            network.setListeners(all);
            return tuning;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The same network (same parameters) with every integral layer's freeze setting changed. */
    private void rebuildWithFreeze(Freeze freeze) {
        INDArray params = network.params().dup();
        Dl4jConfiguration conf = network.configuration().copy();
        for (Layer l : conf.layers()) {
            if (l instanceof IntegralLayerConf c) {
                c.setFreeze(freeze);
            }
        }
        network = conf.build(params);
        IntegralNetworks.bind(network.model(), groups);
    }

    /**
     * Exports the network at the current sizes as a plain DL4J network of the source's type: the
     * source's layer types and settings with fewer channels, weights sampled from the integral
     * layers (batch norms that were folded stay folded). It loads with {@code ModelSerializer}
     * without Integral4J on the classpath.
     *
     * @return a new {@link MultiLayerNetwork} or {@link ComputationGraph}
     */
    public Model toDiscrete() {
        Optional<CalibratedNetwork> calibrated = calibration();
        if (calibrated.isPresent()) {
            return Dl4jNetwork.of(calibrated.get().network()).copy().model();
        }
        return onNetwork(net -> {
            long t0 = System.nanoTime();
            Model out = Exporter.export(sourceConf, records, allSizes(false), ParamTransfer.fromIntegral(net)).network()
                    .model();
            LOG.info("exported a plain network at sizes {} in {} ms", sizes(),
                    String.format("%.1f", (System.nanoTime() - t0) / 1e6));
            return out;
        });
    }

    /**
     * {@link #toDiscrete()}, optionally with batch norms folded: every batch norm that is the only
     * consumer of a convolution or dense layer with the identity activation (and the same data
     * format) is folded into that layer's weights and bias, as {@link IntegralWrapper} does at
     * conversion by default, and dropped. The result computes in inference what
     * {@link #toDiscrete()} computes, with fewer layers: for networks converted with
     * {@code fuseBatchNorm(false)} (batch norms trained as layers) the export is then as fast as
     * with folding at conversion. Training the folded network afterwards is not the same as
     * training the unfolded one (no batch statistics).
     *
     * @param foldBatchNorms whether to fold; false gives {@link #toDiscrete()}
     * @param inputTypes     the network's input types, needed only when its configuration does not
     *                       set them (as for {@link IntegralWrapper.Builder#inputTypes})
     * @return a new {@link MultiLayerNetwork} or {@link ComputationGraph}
     */
    public Model toDiscrete(boolean foldBatchNorms, InputType... inputTypes) {
        Model plain = toDiscrete();
        if (!foldBatchNorms) {
            return plain;
        }
        return IntegralWrapper.builder().fuseBatchNorm(true).permute(false).inputTypes(inputTypes).build()
                .permutedDiscrete(plain);
    }

    /**
     * An independent copy: the integral network cloned, new channel groups with the same sizes,
     * distributions and trainable grid points. Changing one never changes the other.
     *
     * @return the copy
     */
    public IntegralModel copy() {
        return CalibrationSupport.copyOf(this);
    }

    /**
     * What calibration works on at the current sizes and grids: the plain networks exported at full
     * and current size, their layers, and each group's interpolation map. This model is not modified.
     *
     * @return the subject
     */
    public CalibrationSubject calibrationSubject() {
        return CalibrationSupport.forIntegral(this);
    }

    /**
     * Calibrates the network at the current sizes with the default steps (batch-norm statistics and
     * least-squares reconstruction) on unlabeled inputs; see
     * {@link Calibration}.
     *
     * @param inputs inputs {@code (n, ...)} as the network reads them, e.g. 512 images (not modified)
     * @return the calibrated plain network
     */
    public CalibratedNetwork calibrate(INDArray inputs) {
        return calibrate(inputs, CalibrationOptions.defaults());
    }

    /**
     * Calibrates the network at the current sizes (see
     * {@link Calibration}). The integral network is not changed;
     * the result is recorded and {@link #toDiscrete()} returns it until the sizes, grids or
     * parameters change.
     *
     * @param inputs  inputs {@code (n, ...)} (not modified)
     * @param options the steps
     * @return the calibrated plain network
     */
    public CalibratedNetwork calibrate(INDArray inputs,
            CalibrationOptions options) {
        CalibratedNetwork c =
                Calibration.calibrate(this, inputs, options);
        calibrated = c;
        calibratedStamp = stamp();
        return c;
    }

    /**
     * Calibrates on the features of an iterator (labels ignored; at most
     * {@link CalibrationOptions#maxInputs()} examples).
     *
     * @param inputs  the iterator (reset when supported, then advanced)
     * @param options the steps
     * @return the calibrated plain network
     */
    public CalibratedNetwork calibrate(
            DataSetIterator inputs,
            CalibrationOptions options) {
        return calibrate(CalibrationInputs.collect(inputs, options.maxInputs()),
                options);
    }

    /**
     * The last calibration, while it still applies (same sizes, grids, network and parameters).
     *
     * @return the calibrated network, or empty
     */
    public Optional<CalibratedNetwork> calibration() {
        if (calibrated != null && !stamp().equals(calibratedStamp)) {
            calibrated = null;
            calibratedStamp = null;
        }
        return Optional.ofNullable(calibrated);
    }

    /**
     * Chooses a size per group within a budget (a fraction of the full network's MACs or
     * parameters) from the sensitivity of each group measured on calibration inputs, and resizes
     * the model to it; see {@link BudgetSearch}.
     *
     * @param budget     the budget
     * @param inputs     unlabeled inputs (not modified)
     * @param inputTypes the network's input types (for MACs)
     * @return the chosen sizes, their cost and the measured sensitivities
     */
    public BudgetResult resizeToBudget(Budget budget,
            INDArray inputs, InputType... inputTypes) {
        return resizeToBudget(budget, inputs, CalibrationOptions.defaults(), inputTypes);
    }

    /**
     * As {@link #resizeToBudget(Budget, INDArray, InputType...)}, choosing among the candidate
     * allocations by their distortion after the calibration that will follow
     * ({@link BudgetSearch#search(IntegralModel, Budget, INDArray, CalibrationOptions, InputType...)}).
     *
     * @param budget      the budget
     * @param inputs      unlabeled inputs (not modified)
     * @param calibration the calibration that will be applied, or null for none
     * @param inputTypes  the network's input types (for MACs)
     * @return the chosen sizes, the candidates compared, their cost and the measured sensitivities
     */
    public BudgetResult resizeToBudget(Budget budget, INDArray inputs, CalibrationOptions calibration,
                                       InputType... inputTypes) {
        BudgetResult r = BudgetSearch.search(this, budget, inputs, calibration, inputTypes);
        write(() -> groups.resizeAll(r.sizes()));
        return r;
    }

    /** What a calibration depends on: the network object, every group's grid version, the parameters. */
    private List<Object> stamp() {
        List<Object> s = new ArrayList<>();
        s.add(System.identityHashCode(network.model()));
        for (ChannelGroup g : groups.all()) {
            s.add(g.version());
        }
        INDArray p = network.params();
        s.add(p.sumNumber().doubleValue());
        s.add(p.norm2Number().doubleValue());
        return s;
    }

    /**
     * Parameters and MACs of the exported plain network as a function of the group sizes (what
     * {@link #metrics} reports, without exporting), for budgets.
     *
     * @param inputTypes the network's input types
     * @return the cost model
     */
    public CostModel costModel(InputType... inputTypes) {
        return CalibrationSupport.costModel(this, inputTypes);
    }

    /**
     * Parameters and MACs of the source network ("full": before batch norms are folded) and of the
     * plain network {@link #toDiscrete()} exports at the current sizes. MACs are counted layer by
     * layer as each layer's kind counts them ({@link org.integral4j.convert.kinds.LayerKind#macs}).
     *
     * @param inputTypes the network's input types, e.g. {@code InputType.convolutional(28, 28, 1)}
     * @return the metrics
     */
    public CompressionMetrics metrics(InputType... inputTypes) {
        return onNetwork(net -> {
            Dl4jNetwork small = Exporter.export(sourceConf, records, allSizes(false), ParamTransfer.zeros()).network();
            return new CompressionMetrics(sourceConf.parameterCount(), small.numParams(),
                    Macs.of(sourceConf, registry, inputTypes), Macs.of(small.configuration(), registry, inputTypes));
        });
    }

    /**
     * A parameter count without input types (unlike {@link #metrics}): of the source network
     * (before batch norms are folded) or of the plain network exported at the current sizes.
     *
     * @param fullSize true for the source network, false for the export at the current sizes
     * @return the count
     */
    public long parameterCount(boolean fullSize) {
        if (fullSize) {
            return sourceConf.parameterCount();
        }
        return read(() -> Exporter.export(sourceConf, records, allSizes(false), ParamTransfer.zeros()).network()
                .numParams());
    }

    /**
     * Whether a file is an integral model saved with {@link #save(File)} (rather than a plain DL4J
     * model or something else): a zip archive with the entry {@value #FILE_ENTRY}. Only the zip's
     * directory is read; whether the entry is intact is checked by {@link #load}. Never throws.
     *
     * @param file the file
     * @return true for an Integral4J model file
     */
    public static boolean isIntegralModelFile(File file) {
        return IntegralModelIO.hasEntry(file);
    }

    /** Current (or full) size of every group, concatenations included. */
    private Map<String, Integer> allSizes(boolean full) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ChannelGroup g : groups.all()) {
            sizes.put(g.name(), full ? g.fullSize() : g.size());
        }
        return sizes;
    }

    /**
     * A table of the groups: name, current and full size, and the layers whose axes they carry.
     *
     * @return the table
     */
    public String describe() {
        return read(() -> {
            StringBuilder sb = new StringBuilder(String.format("%-28s %8s %8s  %s%n", "group", "size", "full",
                    "layers"));
            for (String name : ranges.keySet()) {
                List<String> layers = new ArrayList<>();
                for (NodeRecord r : records) {
                    if (name.equals(r.outGroup()) || name.equals(r.inGroup())) {
                        layers.add(r.name() + (name.equals(r.outGroup()) ? "(out)" : "(in)"));
                    }
                }
                sb.append(String.format("%-28s %8d %8d  %s%n", name, groups.get(name).size(), fullSize(name),
                        String.join(", ", layers)));
            }
            return sb.toString();
        });
    }

    /**
     * Saves the model: the integral network (DL4J's {@code ModelSerializer} format, with updater)
     * plus the entry {@value #FILE_ENTRY} (UTF-8 JSON) with the groups, their sizes and what
     * export needs. The file is written to a temporary file in the same directory and moved into
     * place when complete, so a failed save leaves an existing file unchanged.
     *
     * @param file the zip file to write
     * @throws IOException when writing fails
     */
    public void save(File file) throws IOException {
        lock.readLock().lock();
        try {
            synchronized (network.model()) {
                IntegralModelIO.save(this, file);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Loads a model saved with {@link #save(File)}.
     *
     * @param file the zip file
     * @return the model
     * @throws IntegralModelFileException when the file is not an integral model or is damaged (the
     *                                    message names the entry and what is wrong)
     * @throws IOException                when the file cannot be read
     */
    public static IntegralModel load(File file) throws IOException {
        return load(file, LayerRegistry.defaults());
    }

    /**
     * Loads a model saved with {@link #save(File)} that was converted with a registry of more
     * layer kinds than the default one.
     *
     * @param file     the zip file
     * @param registry the layer kinds the model was converted with
     * @return the model
     * @throws IntegralModelFileException when the file is not an integral model, is damaged, or names
     *                                    a layer kind the registry does not know
     * @throws IOException                when the file cannot be read
     */
    public static IntegralModel load(File file, LayerRegistry registry) throws IOException {
        return IntegralModelIO.load(file, Checks.requireNonNull("IntegralModel.load", "registry", registry));
    }

    List<NodeRecord> records() {
        return records;
    }

    Dl4jConfiguration sourceConfiguration() {
        return sourceConf;
    }

    LayerRegistry registry() {
        return registry;
    }

    static IntegralModel restore(Dl4jNetwork network, ChannelGroups groups, List<NodeRecord> records,
                                 Dl4jConfiguration sourceConf, LayerRegistry registry) {
        IntegralNetworks.bind(network.model(), groups);
        return new IntegralModel(network, groups, null, records, sourceConf, registry);
    }
}
