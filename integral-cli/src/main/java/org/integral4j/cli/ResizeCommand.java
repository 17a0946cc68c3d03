package org.integral4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.TargetSizes;
import org.integral4j.convert.budget.Budget;
import org.integral4j.convert.budget.BudgetResult;
import org.integral4j.convert.calibration.CalibratedNetwork;
import org.integral4j.convert.calibration.CalibrationOptions;
import org.integral4j.convert.calibration.PixelScaling;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.permutation.TspSolver;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resize MODEL (--ratio R | --size GROUP=N ... | --budget-macs F | --budget-params F)
 * [--calibration FILE] --out FILE [--integral FILE]}: converts (or loads) the model, resizes it
 * (to the given sizes, or to sizes chosen for a budget from each group's sensitivity on the
 * calibration images), calibrates the resized plain network on the images when given, and writes
 * it, all or nothing ({@link OutputFiles}).
 *
 * <p>Order of work, so that mistakes cost milliseconds: the command line (picocli: syntax and
 * number formats), the input file, the outputs ({@link OutputFiles#plan}: not the input, not
 * each other, not existing without {@code --force}, directories writable), reading the model, the
 * calibration images (read and checked against what the network reads, {@link CalibrationFile}),
 * the analysis with the requested groups and sizes checked right after it (before batch-norm
 * folding and the channel-ordering search), then conversion, the budget search, calibration,
 * export and writing. New options go into this
 * class (or a mixin) and into {@link #target()} or {@link #wrapper}.
 */
@Command(name = "resize", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = IntegralCli.Version.class,
        description = {"Resize the channel groups of a model and write a smaller plain DL4J network.",
            "Converts the model (or loads a saved integral model), resizes its channel groups and writes the plain"
                    + " DL4J network of the same type at those sizes; it loads with ModelSerializer alone. Run 'info'"
                    + " first to see the group names. The input is never modified; outputs are written completely or"
                    + " not at all."})
final class ResizeCommand implements Callable<Integer> {

    static final String OUT = "--out";
    static final String INTEGRAL = "--integral";
    static final String PIXEL_SCALE = "--pixel-scale";
    static final String CALIBRATION_SIZE = "--calibration-size";
    static final String BUDGET_MACS = "--budget-macs";
    static final String BUDGET_PARAMS = "--budget-params";
    static final String MULTIPLE = "--multiple";
    /** Images calibration uses by default. */
    static final int DEFAULT_CALIBRATION_SIZE = 512;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A DL4J ModelSerializer zip (MultiLayerNetwork or"
            + " ComputationGraph) or an integral model written by 'resize --integral'.")
    Path model;

    @Option(names = "--ratio", paramLabel = "R", converter = Numbers.Ratio.class,
            description = "Every group to round(R * full size) channels (at least 2); 0 < R <= 1.")
    Double ratio;

    @Option(names = "--size", paramLabel = "GROUP=N", converter = SizeSpec.Converter.class,
            description = "One group to N channels, 2 <= N <= its full size; repeatable; overrides --ratio for that"
                    + " group.")
    List<SizeSpec> sizes = new ArrayList<>();

    @Option(names = OUT, paramLabel = "FILE", required = true,
            description = "Where to write the smaller plain DL4J network (required).")
    Path out;

    @Option(names = INTEGRAL, paramLabel = "FILE",
            description = "Also write the resized integral model (IntegralModel.load and this command read it).")
    Path integral;

    @Option(names = "--force", description = "Replace output files that exist (never the input).")
    boolean force;

    @Option(names = "--no-permute", description = "Do not reorder channels before converting (faster; smaller sizes"
            + " lose more accuracy).")
    boolean noPermute;

    @Option(names = "--seed", paramLabel = "N", converter = Numbers.Seed.class,
            description = "Seed of the channel-ordering search, of the integral model and of the calibration (which"
                    + " images are drawn, which positions are sampled) (default: ${DEFAULT-VALUE}).")
    long seed = TspSolver.DEFAULT_SEED;

    @Option(names = CalibrationFile.OPTION, paramLabel = "FILE",
            description = "Calibrate the resized network on these unlabeled images (labels are never read): an IDX"
                    + " image file such as train-images-idx3-ubyte(.gz), or a folder of PNG/JPEG images of the"
                    + " network's input size. Batch-norm statistics are re-estimated and every layer after a resized"
                    + " group is refitted by least squares to the full network's pre-activations; seconds of work,"
                    + " most of the accuracy a resize loses comes back.")
    Path calibration;

    @Option(names = PIXEL_SCALE, paramLabel = "SCALING", converter = CalibrationFile.Scaling.class,
            description = "How the network's training scaled 8-bit pixels v: unit (v/255, the default; DL4J's"
                    + " ImagePreProcessingScaler), raw (v), symmetric (v/127.5-1), standardize:MEAN,STD"
                    + " ((v/255-MEAN)/STD) or affine:SCALE,OFFSET (v*SCALE+OFFSET).")
    PixelScaling pixelScale;

    @Option(names = CALIBRATION_SIZE, paramLabel = "N", converter = Numbers.Count.class,
            description = "Calibrate on at most N images, drawn with --seed when the file has more (default: 512).")
    Integer calibrationSize;

    @Option(names = "--grid-placement", description = "Before calibrating, put each resized group's grid points on"
            + " its most important full-size channels, ranked by weight or by contribution on the calibration images,"
            + " whichever (or the uniform grid) calibrates closest to the full network on held-out images (integral"
            + " models; in the calibration study at least as accurate as L1 selection with the same calibration).")
    boolean gridPlacement;

    @Option(names = BUDGET_MACS, paramLabel = "F", converter = Numbers.Fraction.class,
            description = "Instead of --ratio/--size: choose every group's size so that the network keeps at most F"
                    + " of the full network's multiply-accumulates, from each group's sensitivity measured on the"
                    + " calibration images (needs --calibration); 0 < F <= 1.")
    Double budgetMacs;

    @Option(names = BUDGET_PARAMS, paramLabel = "F", converter = Numbers.Fraction.class,
            description = "As --budget-macs, for the parameter count.")
    Double budgetParams;

    @Option(names = MULTIPLE, paramLabel = "M", converter = Numbers.Count.class,
            description = "With a budget: sizes on a multiple of M channels (default: 1).")
    Integer multiple;

    @Mixin
    ConversionOptions conversion;

    @Mixin
    CommonOptions common;

    /**
     * The requested sizes: empty (full size) with a budget, which chooses them after conversion.
     *
     * @return the ratio and the named sizes
     * @throws CliException a usage error when none is given, a group is named twice, or the sizing
     *                      options do not go together
     */
    TargetSizes target() throws CliException {
        requireCalibrationOptionsFit();
        if (budget() != null) {
            return TargetSizes.builder().build();
        }
        if (ratio == null && sizes.isEmpty()) {
            throw CliException.usage("resize needs the new sizes: --ratio R (e.g. --ratio 0.5), --size GROUP=N"
                    + " (see the groups with the 'info' command), or a budget: --budget-macs F or --budget-params F"
                    + " with --calibration FILE.");
        }
        TargetSizes.Builder b = TargetSizes.builder();
        if (ratio != null) {
            b.ratio(ratio);
        }
        Map<String, Integer> named = new LinkedHashMap<>();
        for (SizeSpec s : sizes) {
            if (named.put(s.group(), s.size()) != null) {
                throw CliException.usage("--size names group '%s' more than once; give one size per group.",
                        s.group());
            }
            b.size(s.group(), s.size());
        }
        return b.build();
    }

    /**
     * The budget of {@code --budget-macs} or {@code --budget-params}.
     *
     * @return the budget, or null when none is given
     * @throws CliException a usage error when both are given
     */
    Budget budget() throws CliException {
        if (budgetMacs != null && budgetParams != null) {
            throw CliException.usage("give one budget: %s or %s, not both.", BUDGET_MACS, BUDGET_PARAMS);
        }
        Budget b = budgetMacs != null ? Budget.macs(budgetMacs) : budgetParams != null ? Budget.params(budgetParams)
                : null;
        return b == null ? null : b.multipleOf(multiple == null ? 1 : multiple);
    }

    /** Options that only apply together: a budget without sizes, calibration settings with a file. */
    private void requireCalibrationOptionsFit() throws CliException {
        String budgetOption = budgetMacs != null ? BUDGET_MACS : budgetParams != null ? BUDGET_PARAMS : null;
        if (budgetOption != null) {
            if (ratio != null || !sizes.isEmpty()) {
                throw CliException.usage("%s chooses the size of every group; it cannot be combined with %s. Give"
                        + " either the budget or the sizes.", budgetOption, ratio != null ? "--ratio" : "--size");
            }
            if (calibration == null) {
                throw CliException.usage("%s needs %s FILE: each group's sensitivity is measured on unlabeled"
                        + " images (e.g. %s train-images-idx3-ubyte.gz).", budgetOption, CalibrationFile.OPTION,
                        CalibrationFile.OPTION);
            }
        } else if (multiple != null) {
            throw CliException.usage("%s applies to a budget (%s or %s) only; with --ratio or --size give the"
                    + " sizes themselves.", MULTIPLE, BUDGET_MACS, BUDGET_PARAMS);
        }
        if (calibration == null) {
            String given = pixelScale != null ? PIXEL_SCALE : calibrationSize != null ? CALIBRATION_SIZE
                    : gridPlacement ? "--grid-placement" : null;
            if (given != null) {
                throw CliException.usage("%s only applies with %s FILE (the calibration images).", given,
                        CalibrationFile.OPTION);
            }
        }
    }

    /** @return the calibration steps of the options given */
    CalibrationOptions calibrationOptions() {
        return CalibrationOptions.builder().gridPlacement(gridPlacement).seed(seed).build();
    }

    /**
     * The conversion settings for a plain network.
     *
     * @param content the file's content
     * @return the builder, or null for an integral model
     * @throws CliException a usage error when a conversion option does not fit the network
     */
    IntegralWrapper.Builder wrapper(ModelFile.Content content) throws CliException {
        if (content.plain() == null) {
            return null;
        }
        return conversion.wrapper(content.plain()).permute(!noPermute)
                .tspSolver(TspSolver.builder().optSeed(seed).build()).seed(seed);
    }

    @Override
    public Integer call() throws CliException {
        PrintWriter stdout = spec.commandLine().getOut();
        TargetSizes target = target();
        Budget budget = budget();
        ModelFile.requireFile(model.toFile());
        Map<String, Path> targets = new LinkedHashMap<>();
        targets.put(OUT, out);
        if (integral != null) {
            targets.put(INTEGRAL, integral);
        }
        try (OutputFiles outputs = OutputFiles.plan(model, targets, force)) {
            ModelFile.Content content = ModelFile.read(model.toFile());
            InputType[] types = conversion.inputTypes();
            INDArray images = null;
            if (calibration != null) {
                Dl4jNetwork network = content.plain() != null ? Dl4jNetwork.of(content.plain())
                        : content.integral().dl4jNetwork();
                CalibrationFile.Expected expected = CalibrationFile.expected(network, types);
                images = readImages(network, expected);
                if (types.length == 0) {
                    types = inputTypesOf(images, expected, network);
                }
            }
            if (types.length == 0 && budget != null) {
                throw CliException.usage("a budget needs the network's input type (its cost model counts MACs and"
                        + " parameters layer by layer), and the calibration images did not give one the network"
                        + " accepts; give --input-type (e.g. --input-type cnn:28x28x1).");
            }
            List<String> ignored = new ArrayList<>(conversion.conversionOnlyOptionsGiven());
            if (noPermute) {
                ignored.add("--no-permute");
            }
            if (calibration == null && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                ignored.add("--seed");
            }
            IntegralModel inn = Conversion.of(content, wrapper(content), target, ignored, common.verbose,
                    spec.commandLine().getErr());
            long fullParams = inn.parameterCount(true);
            BudgetResult chosen = null;
            CalibratedNetwork calibrated = null;
            try (StepProgress progress = StepProgress.onTerminal(images == null ? 0 : budget == null ? 1 : 2,
                    common.verbose)) {
                if (budget != null) {
                    progress.starting("choosing sizes for the budget");
                    chosen = resizeToBudget(inn, budget, images, types);
                    progress.stepDone();
                }
                if (images != null) {
                    progress.starting("calibrating on " + images.size(0) + " images");
                    calibrated = calibrate(inn, images);
                    progress.stepDone();
                }
            }
            Model small = calibrated != null ? calibrated.network() : export(inn);
            write(small, outputs.staging(OUT));
            if (integral != null) {
                save(inn, outputs.staging(INTEGRAL));
            }
            outputs.commit();

            Report.header(stdout, content, inn);
            if (chosen != null) {
                stdout.printf(Locale.ROOT, "budget: %.1f%% of the full network's %s; the chosen sizes have %.1f%%%n",
                        100 * budget.fraction(), budget.kind() == Budget.Kind.MACS ? "MACs" : "parameters",
                        100 * chosen.costFraction());
            }
            Report.counts(stdout, content, inn, types, fullParams, small.numParams());
            if (calibrated != null) {
                stdout.printf(Locale.ROOT, "calibrated on %d image(s) from %s (%s, %d layer(s)) in %.1f s%n",
                        images.size(0), calibration, calibrated.options().label(), calibrated.layers().size(),
                        calibrated.seconds());
            }
            stdout.printf("wrote the plain %s (%,d parameters) to %s%n", Report.networkType(small), small.numParams(),
                    out);
            if (integral != null) {
                stdout.printf("wrote the integral model to %s%n", integral);
                if (calibrated != null) {
                    stdout.println("  (the integral model is not calibrated: calibration refits the plain network;"
                            + " calibrate again after loading it)");
                }
            }
            stdout.flush();
        }
        return IntegralCli.EXIT_OK;
    }

    /** Reads the calibration images and shapes them for the model's network (before any conversion work). */
    private INDArray readImages(Dl4jNetwork network, CalibrationFile.Expected expected) throws CliException {
        int limit = calibrationSize == null ? DEFAULT_CALIBRATION_SIZE : calibrationSize;
        return CalibrationFile.read(calibration, pixelScale == null ? PixelScaling.UNIT : pixelScale, limit, seed,
                network, expected);
    }

    /**
     * The input type of the calibration images as the network reads them, to count MACs without
     * {@code --input-type}; none when DL4J's shape inference of the network rejects it.
     */
    private static InputType[] inputTypesOf(INDArray x, CalibrationFile.Expected e, Dl4jNetwork network) {
        InputType t;
        if (x.rank() == 4) {
            t = e.nhwc() ? InputType.convolutional(x.size(1), x.size(2), x.size(3), CNN2DFormat.NHWC)
                    : InputType.convolutional(x.size(2), x.size(3), x.size(1));
        } else if (e.height() > 0) {
            t = InputType.convolutionalFlat(e.height(), e.width(), e.channels());
        } else {
            t = InputType.feedForward(x.size(1));
        }
        InputType[] types = {t};
        try {
            network.configuration().outputTypes(types);
        } catch (RuntimeException ex) {
            return new InputType[0];
        }
        return types;
    }

    private BudgetResult resizeToBudget(IntegralModel inn, Budget budget, INDArray images, InputType[] types)
            throws CliException {
        try {
            return inn.resizeToBudget(budget, images, calibrationOptions(), types);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("%s", CliException.describe(e));
        } catch (RuntimeException e) {
            throw CliException.failure("cannot choose sizes for the budget: " + CliException.describe(e),
                    budget.kind() == Budget.Kind.MACS ? "MACs are counted with the input type " + Arrays.toString(types)
                    + "; give --input-type if that is not the network's input." : null, e);
        }
    }

    private CalibratedNetwork calibrate(IntegralModel inn, INDArray images) throws CliException {
        try {
            return inn.calibrate(images, calibrationOptions());
        } catch (RuntimeException e) {
            throw CliException.failure("cannot calibrate the resized network at sizes " + inn.sizes() + ": "
                    + CliException.describe(e), "Run again without " + CalibrationFile.OPTION + " to write the"
                    + " uncalibrated network, and report the problem with the model's configuration.json.", e);
        }
    }

    private static Model export(IntegralModel inn) throws CliException {
        try {
            return inn.toDiscrete();
        } catch (RuntimeException e) {
            throw CliException.failure("cannot export the plain network at sizes " + inn.sizes() + ": "
                    + CliException.describe(e), null, e);
        }
    }

    private void write(Model small, Path staged) throws CliException {
        try {
            ModelSerializer.writeModel(small, staged.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw CliException.failure("cannot write the smaller " + Report.networkType(small) + " for " + out + ": "
                    + CliException.describe(e) + "; nothing was written.", "Check the free space.", e);
        }
    }

    private void save(IntegralModel inn, Path staged) throws CliException {
        try {
            inn.save(staged.toFile());
        } catch (IOException | RuntimeException e) {
            throw CliException.failure("cannot write the integral model for " + integral + ": "
                    + CliException.describe(e) + "; nothing was written.", "Check the free space.", e);
        }
    }
}
