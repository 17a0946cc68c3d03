package org.integral4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.TargetSizes;
import org.integral4j.convert.permutation.TspSolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resize MODEL (--ratio R | --size GROUP=N ...) --out FILE [--integral FILE]}: converts
 * (or loads) the model, resizes it and writes the smaller plain network, all or nothing
 * ({@link OutputFiles}).
 *
 * <p>Order of work, so that mistakes cost milliseconds: the command line (picocli: syntax and
 * number formats), the input file, the outputs ({@link OutputFiles#plan}: not the input, not
 * each other, not existing without {@code --force}, directories writable), reading the model, the
 * analysis with the requested groups and sizes checked right after it (before batch-norm folding
 * and the channel-ordering search), then conversion, export and writing. New options go into this
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
            description = "Seed of the channel-ordering search and of the integral model (default: ${DEFAULT-VALUE}).")
    long seed = TspSolver.DEFAULT_SEED;

    @Mixin
    ConversionOptions conversion;

    @Mixin
    CommonOptions common;

    /**
     * The requested sizes.
     *
     * @return the ratio and the named sizes
     * @throws CliException a usage error when none is given or a group is named twice
     */
    TargetSizes target() throws CliException {
        if (ratio == null && sizes.isEmpty()) {
            throw CliException.usage("resize needs the new sizes: --ratio R (e.g. --ratio 0.5) or --size GROUP=N"
                    + " (see the groups with the 'info' command).");
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
        ModelFile.requireFile(model.toFile());
        Map<String, Path> targets = new LinkedHashMap<>();
        targets.put(OUT, out);
        if (integral != null) {
            targets.put(INTEGRAL, integral);
        }
        try (OutputFiles outputs = OutputFiles.plan(model, targets, force)) {
            ModelFile.Content content = ModelFile.read(model.toFile());
            List<String> ignored = new ArrayList<>(conversion.conversionOnlyOptionsGiven());
            if (noPermute) {
                ignored.add("--no-permute");
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                ignored.add("--seed");
            }
            IntegralModel inn = Conversion.of(content, wrapper(content), target, ignored, common.verbose,
                    spec.commandLine().getErr());
            long fullParams = inn.parameterCount(true);
            Model small = export(inn);
            write(small, outputs.staging(OUT));
            if (integral != null) {
                save(inn, outputs.staging(INTEGRAL));
            }
            outputs.commit();

            Report.header(stdout, content, inn);
            Report.counts(stdout, content, inn, conversion.inputTypes(), fullParams, small.numParams());
            stdout.printf("wrote the plain %s (%,d parameters) to %s%n", Report.networkType(small), small.numParams(),
                    out);
            if (integral != null) {
                stdout.printf("wrote the integral model to %s%n", integral);
            }
            stdout.flush();
        }
        return IntegralCli.EXIT_OK;
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
