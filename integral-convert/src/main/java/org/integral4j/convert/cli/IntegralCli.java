package org.integral4j.convert.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.cli.CommandLine.Option;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.convert.permutation.TspSolver;

/**
 * Command line for users with a saved DL4J model: converts it to an Integral Neural Network
 * ({@link IntegralWrapper}), shows its resizable channel groups and costs, and writes smaller plain
 * DL4J networks ({@link IntegralModel#toDiscrete()}) that load with {@code ModelSerializer} alone.
 *
 * <pre>
 * java -cp &lt;classpath&gt; org.integral4j.convert.cli.IntegralCli &lt;command&gt; [options]
 *
 *   info   &lt;model.zip&gt; [--input-type cnn:28x28x1] [--discrete LAYER[,LAYER]]
 *          converts in memory; prints the channel groups, parameters and (with --input-type) MACs
 *   resize &lt;model.zip&gt; (--ratio R | --size GROUP=N ...) --out small.zip [--integral inn.zip]
 *          [--input-type TYPE] [--discrete LAYER[,LAYER]] [--no-permute] [--no-fuse-bn] [--seed N]
 *          converts (or loads an integral model), resizes, writes the plain smaller network
 *   both also take --keep-unsupported, --no-fuse-bn, --verbose, --stacktrace
 *   help [command], --help, -h, &lt;command&gt; --help, --version
 * </pre>
 *
 * <p>The classpath holds integral-convert's jar, its runtime dependencies
 * ({@code mvn -pl integral-convert dependency:build-classpath}) and an ND4J backend such as
 * {@code org.nd4j:nd4j-native-platform:1.0.0-M2.1}, which the library leaves to the application
 * (add an SLF4J binding to see the library's log). From a source checkout, after
 * {@code mvn install -DskipTests}, Maven runs it with the build's test classpath, which has the
 * backend and a binding:
 * <pre>
 * mvn -q -pl integral-convert exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.integral4j.convert.cli.IntegralCli \
 *     -Dexec.args="resize model.zip --ratio 0.5 --out small.zip"
 * </pre>
 *
 * <p>Model files: DL4J {@code ModelSerializer} zips of a {@code MultiLayerNetwork} or
 * {@code ComputationGraph}, or integral models saved by {@link IntegralModel#save} (e.g. by
 * {@code resize --integral}); the kind is read from the zip's entries.
 *
 * <p>Exit status: {@value #EXIT_OK} success; {@value #EXIT_FAILURE} failure (I/O, a file that is
 * not a model, a network the converter rejects): the message and a hint go to the error stream,
 * the stack trace only with {@code --stacktrace}; {@value #EXIT_USAGE} usage error (unknown
 * command or option, missing or malformed value, unknown group, size out of range). Results go to
 * the output stream, errors and progress ({@code --verbose}) to the error stream. The library's
 * own log goes through SLF4J as usual.
 */
public final class IntegralCli {

    /** Exit status of a successful command. */
    public static final int EXIT_OK = 0;
    /** Exit status of a failure while reading, converting or writing. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status of a malformed command line. */
    public static final int EXIT_USAGE = 2;

    /** The program's name in usage texts. */
    static final String PROGRAM = "IntegralCli";
    /** Smallest size of a channel group (a group needs two grid points to stay a function). */
    static final int MIN_GROUP_SIZE = 2;

    private static final Option INPUT_TYPE = Option.repeatable("input-type", "TYPE",
            "input type, to count MACs: cnn:HxWxC[:nhwc], ff:N or rnn:NxT, e.g. cnn:28x28x1; one per graph input");
    private static final Option DISCRETE = Option.repeatable("discrete", "LAYER[,LAYER]",
            "keep the channels of these layers (and of every layer tied to them) at their size");
    private static final Option KEEP_UNSUPPORTED = Option.flag("keep-unsupported",
            "keep the channels of layers the converter does not support at their size instead of failing");
    private static final Option NO_FUSE_BN = Option.flag("no-fuse-bn",
            "do not fold batch norms into the convolution before them (they stay batch-norm layers)");
    private static final Option VERBOSE = Option.flag("verbose", "print the conversion phases and their durations");
    private static final Option STACKTRACE = Option.flag("stacktrace", "print the stack trace of a failure");
    private static final Option RATIO = Option.value("ratio", "R",
            "every group to round(R * full size) channels (at least " + MIN_GROUP_SIZE + "); 0 < R <= 1");
    private static final Option SIZE = Option.repeatable("size", "GROUP=N",
            "one group to N channels, " + MIN_GROUP_SIZE + " <= N <= its full size; repeatable; after --ratio");
    private static final Option OUT = Option.value("out", "FILE",
            "where to write the smaller plain DL4J network (required)");
    private static final Option INTEGRAL = Option.value("integral", "FILE",
            "also write the resized integral model (IntegralModel.load and this command read it)");
    private static final Option NO_PERMUTE = Option.flag("no-permute",
            "do not reorder channels by TSP before converting (faster; smaller sizes lose more accuracy)");
    private static final Option SEED = Option.value("seed", "N",
            "seed of the channel-ordering search and of the integral model (default " + TspSolver.DEFAULT_SEED + ")");

    /** The subcommands. */
    private enum Command {
        INFO("info", "<model.zip>", "show the channel groups, parameters and MACs of a model",
                "Converts the model in memory (or reads a saved integral model) and prints its resizable channel\n"
                        + "groups with the layers they belong to, then parameter counts and, with --input-type, MACs.\n"
                        + "Nothing is written.",
                List.of(INPUT_TYPE, DISCRETE, KEEP_UNSUPPORTED, NO_FUSE_BN, VERBOSE, STACKTRACE)),
        RESIZE("resize", "<model.zip> (--ratio R | --size GROUP=N ...) --out FILE",
                "resize the channel groups and write a smaller plain DL4J model",
                "Converts the model (or loads a saved integral model), resizes its channel groups, and writes the\n"
                        + "plain DL4J network of the same type at those sizes (it loads with ModelSerializer alone).\n"
                        + "Run 'info' first to see the group names.",
                List.of(RATIO, SIZE, OUT, INTEGRAL, INPUT_TYPE, DISCRETE, KEEP_UNSUPPORTED, NO_PERMUTE, NO_FUSE_BN,
                        SEED, VERBOSE, STACKTRACE));

        private final String label;
        private final String synopsis;
        private final String summary;
        private final String description;
        private final List<Option> options;

        Command(String label, String synopsis, String summary, String description, List<Option> options) {
            this.label = label;
            this.synopsis = synopsis;
            this.summary = summary;
            this.description = description;
            this.options = options;
        }

        static Command find(String label) {
            for (Command c : values()) {
                if (c.label.equals(label)) {
                    return c;
                }
            }
            return null;
        }

        String usage() {
            StringBuilder sb = new StringBuilder();
            sb.append("usage: ").append(PROGRAM).append(' ').append(label).append(' ').append(synopsis)
                    .append(" [options]\n\n").append(description).append("\n\noptions:\n");
            int width = 0;
            for (Option o : options) {
                width = Math.max(width, o.synopsis().length());
            }
            width = Math.max(width, "-h, --help".length());
            for (Option o : options) {
                sb.append(String.format("  %-" + width + "s  %s%n", o.synopsis(), o.description()));
            }
            sb.append(String.format("  %-" + width + "s  %s%n", "-h, --help", "show this text"));
            return sb.toString();
        }
    }

    private IntegralCli() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line without exiting.
     *
     * @param args the arguments (not modified)
     * @param out  where results go
     * @param err  where errors, hints and progress go
     * @return {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> list = Arrays.asList(args.clone());
        if (list.isEmpty()) {
            err.print(usage());
            return EXIT_USAGE;
        }
        String first = list.get(0);
        if (isHelp(first)) {
            out.print(usage());
            return EXIT_OK;
        }
        if (first.equals("--version")) {
            out.println(PROGRAM + " (Integral4J) " + version());
            return EXIT_OK;
        }
        if (first.equals("help")) {
            if (list.size() == 1) {
                out.print(usage());
                return EXIT_OK;
            }
            Command c = Command.find(list.get(1));
            if (c == null) {
                return unknownCommand(list.get(1), err);
            }
            out.print(c.usage());
            return EXIT_OK;
        }
        Command command = Command.find(first);
        if (command == null) {
            return unknownCommand(first, err);
        }
        List<String> rest = list.subList(1, list.size());
        int end = rest.indexOf("--");
        List<String> optionPart = end < 0 ? rest : rest.subList(0, end);
        if (optionPart.stream().anyMatch(IntegralCli::isHelp)) {
            out.print(command.usage());
            return EXIT_OK;
        }
        boolean stacktrace = optionPart.contains("--" + STACKTRACE.name());
        try {
            CommandLine cl = CommandLine.parse(command.label, command.options, rest);
            switch (command) {
                case INFO:
                    info(cl, out, err);
                    break;
                default:
                    resize(cl, out, err);
                    break;
            }
            return EXIT_OK;
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            if (e.exitCode() == EXIT_USAGE) {
                err.println("Run '" + PROGRAM + " " + command.label + " --help' for usage.");
            } else {
                if (e.hint() != null) {
                    err.println("hint: " + e.hint());
                }
                if (e.getCause() != null) {
                    if (stacktrace) {
                        printTrace(e.getCause(), err);
                    } else {
                        err.println("(run again with --stacktrace to see where it failed)");
                    }
                }
            }
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("error: unexpected " + e.getClass().getName() + ": " + CliException.describe(e));
            if (stacktrace) {
                printTrace(e, err);
            } else {
                err.println("hint: run again with --stacktrace and report the trace with the model's"
                        + " configuration.json.");
            }
            return EXIT_FAILURE;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("-h") || arg.equals("--help");
    }

    private static int unknownCommand(String name, PrintStream err) {
        List<String> names = new ArrayList<>();
        for (Command c : Command.values()) {
            names.add(c.label);
        }
        err.println("error: unknown command '" + name + "'. Commands: " + String.join(", ", names) + ".");
        err.println("Run '" + PROGRAM + " --help' for usage.");
        return EXIT_USAGE;
    }

    /** @return the top-level usage text */
    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Integral4J: converts a saved DL4J network into an integral neural network, shows its resizable\n")
                .append("channel groups and writes smaller plain DL4J networks.\n\n")
                .append("usage: ").append(PROGRAM).append(" <command> [options]\n")
                .append("       ").append(PROGRAM).append(" help <command>\n\n")
                .append("commands:\n");
        for (Command c : Command.values()) {
            sb.append(String.format("  %-8s %s%n", c.label, c.summary));
        }
        sb.append(String.format("  %-8s %s%n", "help", "show this text, or a command's options"))
                .append("\noptions:\n")
                .append("  -h, --help   show this text (after a command: its options)\n")
                .append("  --version    print the version\n\n")
                .append("Run as: java -cp <classpath> ").append(IntegralCli.class.getName())
                .append(" <command> [options]\n")
                .append("Model files: DL4J ModelSerializer zips (MultiLayerNetwork or ComputationGraph), or integral\n")
                .append("models written by 'resize --integral' or IntegralModel.save.\n")
                .append("Exit status: ").append(EXIT_OK).append(" success, ").append(EXIT_FAILURE)
                .append(" failure (I/O, conversion), ").append(EXIT_USAGE).append(" usage error.\n");
        return sb.toString();
    }

    /** The version from the jar's Maven metadata, or "unknown" when run from classes. */
    private static String version() {
        try (InputStream in = IntegralCli.class.getResourceAsStream(
                "/META-INF/maven/org.integral4j/integral-convert/pom.properties")) {
            if (in == null) {
                return "(version unknown: not run from a packaged jar)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown: " + CliException.describe(e) + ")";
        }
    }

    // ---------------------------------------------------------------- info

    private static void info(CommandLine cl, PrintStream out, PrintStream err) throws CliException {
        File file = modelArgument(cl);
        InputType[] types = InputTypes.parseAll(cl.values(INPUT_TYPE.name()));
        ModelFile.Content content = ModelFile.read(file);
        // Channel order changes neither the groups nor the counts: info does not permute.
        IntegralModel inn = integralModel(content, cl, types, false, err);
        printHeader(out, content, inn);
        out.print(inn.describe());
        printCounts(out, content, inn, types, inn.parameterCount(true), inn.parameterCount(false));
    }

    // ---------------------------------------------------------------- resize

    private static void resize(CommandLine cl, PrintStream out, PrintStream err) throws CliException {
        File file = modelArgument(cl);
        Double ratio = cl.value(RATIO.name()).isPresent() ? ratio(cl.value(RATIO.name()).get()) : null;
        Map<String, Integer> sizes = sizes(cl.values(SIZE.name()));
        if (ratio == null && sizes.isEmpty()) {
            throw CliException.usage("resize needs the new sizes: --ratio R (e.g. --ratio 0.5) or --size GROUP=N"
                    + " (see the groups with '%s info %s').", PROGRAM, file);
        }
        File outFile = new File(cl.value(OUT.name()).orElseThrow(() -> CliException.usage(
                "resize needs --out FILE: where to write the smaller network.")));
        File integralFile = cl.value(INTEGRAL.name()).map(File::new).orElse(null);
        InputType[] types = InputTypes.parseAll(cl.values(INPUT_TYPE.name()));
        requireWritable(outFile);
        if (integralFile != null) {
            requireWritable(integralFile);
        }

        ModelFile.Content content = ModelFile.read(file);
        IntegralModel inn = integralModel(content, cl, types, !cl.has(NO_PERMUTE.name()), err);
        requireSizes(inn, sizes);
        long fullParams = inn.parameterCount(true);
        try {
            if (ratio != null) {
                inn.resize(ratio);
            }
            sizes.forEach(inn::resize);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("%s", e.getMessage());
        }
        Model small = export(inn);
        write(small, outFile);
        if (integralFile != null) {
            try {
                inn.save(integralFile);
            } catch (IOException | RuntimeException e) {
                throw CliException.failure("cannot write the integral model to " + integralFile + ": "
                        + CliException.describe(e), "Check that the directory is writable and has space.", e);
            }
        }

        printHeader(out, content, inn);
        out.print(inn.describe());
        printCounts(out, content, inn, types, fullParams, small.numParams());
        out.printf("wrote the plain %s (%,d parameters) to %s%n", networkType(small), small.numParams(), outFile);
        if (integralFile != null) {
            out.printf("wrote the integral model to %s%n", integralFile);
        }
    }

    private static double ratio(String text) throws CliException {
        double r;
        try {
            r = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage("--ratio '%s' is not a number; give a width ratio in (0, 1], e.g. 0.5.", text);
        }
        if (!(r > 0 && r <= 1)) {
            throw CliException.usage("--ratio must be in (0, 1] (1 keeps the full size), got %s.", text);
        }
        return r;
    }

    private static Map<String, Integer> sizes(List<String> specs) throws CliException {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw CliException.usage("--size '%s' is not GROUP=N; e.g. --size conv1.out=16.", spec);
            }
            String group = spec.substring(0, eq);
            int n;
            try {
                n = Integer.parseInt(spec.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw CliException.usage("--size '%s': '%s' is not a whole number of channels.", spec,
                        spec.substring(eq + 1));
            }
            if (sizes.put(group, n) != null) {
                throw CliException.usage("--size names group '%s' more than once; give one size per group.", group);
            }
        }
        return sizes;
    }

    /** Group names exist and sizes are in {@code [MIN_GROUP_SIZE, fullSize]}. */
    private static void requireSizes(IntegralModel inn, Map<String, Integer> sizes) throws CliException {
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            if (!inn.groupNames().contains(e.getKey())) {
                throw CliException.usage("unknown group '%s'. Groups of this model (full size): %s.", e.getKey(),
                        groupList(inn));
            }
            int full = inn.fullSize(e.getKey());
            if (e.getValue() < MIN_GROUP_SIZE || e.getValue() > full) {
                throw CliException.usage("--size %s=%d is out of range: group '%s' takes %d to %d channels.",
                        e.getKey(), e.getValue(), e.getKey(), MIN_GROUP_SIZE, full);
            }
        }
    }

    private static String groupList(IntegralModel inn) {
        List<String> names = new ArrayList<>();
        for (String g : inn.groupNames()) {
            names.add(g + " (" + inn.fullSize(g) + ")");
        }
        return names.isEmpty() ? "none (nothing in this network can be resized)" : String.join(", ", names);
    }

    /** Fails before any work when a file's directory does not exist or the path is a directory. */
    private static void requireWritable(File file) throws CliException {
        File dir = file.getAbsoluteFile().getParentFile();
        if (dir == null || !dir.isDirectory()) {
            throw CliException.failure("cannot write " + file + ": the directory " + dir + " does not exist.",
                    "Create the directory or choose another path.", null);
        }
        if (file.isDirectory()) {
            throw CliException.failure("cannot write " + file + ": it is a directory.", "Give a file name, e.g. "
                    + new File(file, "small.zip") + ".", null);
        }
    }

    private static void write(Model small, File file) throws CliException {
        try {
            ModelSerializer.writeModel(small, file, true);
        } catch (IOException | RuntimeException e) {
            throw CliException.failure("cannot write the smaller " + networkType(small) + " to " + file + ": "
                    + CliException.describe(e), "Check that the directory is writable and has space.", e);
        }
    }

    // ---------------------------------------------------------------- shared

    private static File modelArgument(CommandLine cl) throws CliException {
        List<String> p = cl.positionals();
        if (p.isEmpty()) {
            throw CliException.usage("%s needs a model file: %s %s <model.zip> ...", cl.command(), PROGRAM,
                    cl.command());
        }
        if (p.size() > 1) {
            throw CliException.usage("%s takes one model file, got %d arguments: %s.", cl.command(), p.size(), p);
        }
        return new File(p.get(0));
    }

    /** The integral model of a file: loaded as is, or converted from the plain network. */
    private static IntegralModel integralModel(ModelFile.Content content, CommandLine cl, InputType[] types,
                                               boolean permute, PrintStream err) throws CliException {
        if (content.integral() != null) {
            List<String> ignored = new ArrayList<>();
            for (Option o : List.of(DISCRETE, KEEP_UNSUPPORTED, NO_FUSE_BN, NO_PERMUTE, SEED)) {
                if (cl.has(o.name())) {
                    ignored.add("--" + o.name());
                }
            }
            if (!ignored.isEmpty()) {
                err.println("note: " + content.file() + " is an integral model (already converted): "
                        + String.join(", ", ignored) + " only apply to conversion and are ignored.");
            }
            return content.integral();
        }
        Model plain = content.plain();
        ModelView view = plain instanceof MultiLayerNetwork mln ? ModelView.of(mln) : ModelView.of((ComputationGraph) plain);
        Set<String> discrete = discreteLayers(cl, view);
        requireInputTypesFit(plain, types, cl.values(INPUT_TYPE.name()));
        AnalysisOptions.Builder analysis = AnalysisOptions.builder().keepUnsupportedDiscrete(
                cl.has(KEEP_UNSUPPORTED.name()));
        discrete.forEach(analysis::forceDiscrete);
        long seed = seed(cl);
        IntegralWrapper.Builder wrapper = IntegralWrapper.builder()
                .analysisOptions(analysis.build())
                .fuseBatchNorm(!cl.has(NO_FUSE_BN.name()))
                .permute(permute)
                .tspSolver(TspSolver.builder().optSeed(seed).build())
                .seed(seed)
                .inputTypes(types);
        if (cl.has(VERBOSE.name())) {
            wrapper.listener(progress(err));
        }
        try {
            return wrapper.build().wrapModel(plain);
        } catch (RuntimeException e) {
            throw CliException.failure("cannot convert the " + content.kind().label() + " in " + content.file()
                    + ": " + CliException.describe(e), "--keep-unsupported keeps the channels around layers the"
                    + " converter does not support at their size; --discrete LAYER does so for chosen layers.", e);
        }
    }

    /** The --discrete layer names, each checked against the network's nodes. */
    private static Set<String> discreteLayers(CommandLine cl, ModelView view) throws CliException {
        Set<String> names = new LinkedHashSet<>();
        for (String value : cl.values(DISCRETE.name())) {
            for (String name : value.split(",", -1)) {
                String n = name.trim();
                if (n.isEmpty()) {
                    throw CliException.usage("--discrete '%s' has an empty layer name; separate names with commas.",
                            value);
                }
                if (!view.contains(n) || view.node(n).kind() == ModelNode.Kind.INPUT) {
                    List<String> layers = new ArrayList<>();
                    for (ModelNode node : view.nodes()) {
                        if (node.kind() != ModelNode.Kind.INPUT) {
                            layers.add(node.name());
                        }
                    }
                    throw CliException.usage("--discrete: the network has no layer '%s'. Its layers and vertices: %s.",
                            n, String.join(", ", layers));
                }
                names.add(n);
            }
        }
        return names;
    }

    /** One input type per network input, each accepted by DL4J's shape inference. */
    private static void requireInputTypesFit(Model plain, InputType[] types, List<String> specs) throws CliException {
        if (types.length == 0) {
            return;
        }
        try {
            if (plain instanceof MultiLayerNetwork mln) {
                if (types.length != 1) {
                    throw CliException.usage("a MultiLayerNetwork has one input; got %d --input-type options.",
                            types.length);
                }
                mln.getLayerWiseConfigurations().clone().getLayerActivationTypes(types[0]);
            } else {
                List<String> inputs = ((ComputationGraph) plain).getConfiguration().getNetworkInputs();
                if (types.length != inputs.size()) {
                    throw CliException.usage("the graph has %d input(s) %s; got %d --input-type option(s). Give one"
                            + " per input, in this order.", inputs.size(), inputs, types.length);
                }
                ((ComputationGraph) plain).getConfiguration().clone().getLayerActivationTypes(types);
            }
        } catch (RuntimeException e) {
            throw CliException.usage("--input-type %s does not fit the network: %s", String.join(" ", specs),
                    CliException.describe(e));
        }
    }

    private static long seed(CommandLine cl) throws CliException {
        String text = cl.value(SEED.name()).orElse(null);
        if (text == null) {
            return TspSolver.DEFAULT_SEED;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage("--seed '%s' is not a whole number.", text);
        }
    }

    private static ConversionListener progress(PrintStream err) {
        return new ConversionListener() {
            @Override
            public void phaseDone(String phase, double millis) {
                err.printf("  %s: %.1f ms%n", phase, millis);
            }

            @Override
            public void groupPermuted(String group, int index, int total, TspResult result) {
                err.printf("  permuted group %d/%d '%s': path length %.4g -> %.4g%n", index, total, group,
                        result.lengthBefore(), result.lengthAfter());
            }
        };
    }

    private static Model export(IntegralModel inn) throws CliException {
        try {
            return inn.toDiscrete();
        } catch (RuntimeException e) {
            throw CliException.failure("cannot export the plain network at sizes " + inn.sizes() + ": "
                    + CliException.describe(e), null, e);
        }
    }

    private static String networkType(Model m) {
        return m instanceof ComputationGraph ? "ComputationGraph" : "MultiLayerNetwork";
    }

    private static void printHeader(PrintStream out, ModelFile.Content content, IntegralModel inn) {
        String what = content.integral() != null ? "integral model (" + networkType(inn.network()) + ")"
                : String.format("%s, %,d parameters", content.kind().label(), content.plain().numParams());
        out.printf("%s: %s; %d resizable channel group(s)%n", content.file(), what, inn.groupNames().size());
    }

    /**
     * Parameters (and MACs with input types) at full size and at the current sizes.
     *
     * @param fullParams    the full-size count when known without input types, else -1
     * @param currentParams the count at the current sizes
     */
    private static void printCounts(PrintStream out, ModelFile.Content content, IntegralModel inn, InputType[] types,
                                    long fullParams, long currentParams) throws CliException {
        long macsFull = -1;
        long macsCurrent = -1;
        if (types.length > 0) {
            CompressionMetrics m;
            try {
                m = inn.metrics(types);
            } catch (RuntimeException e) {
                throw CliException.failure("cannot count MACs with input types " + Arrays.toString(types) + ": "
                        + CliException.describe(e), "Check that the input type matches the network's input.", e);
            }
            fullParams = m.paramsFull();
            macsFull = m.macsFull();
            macsCurrent = m.macsCurrent();
        }
        if (fullParams >= 0) {
            out.printf("parameters: %,d at full size, %,d at the current sizes (%.1f%%)%n", fullParams, currentParams,
                    100.0 * currentParams / fullParams);
        } else {
            out.printf("parameters: %,d at the current sizes (give --input-type to count the full size too)%n",
                    currentParams);
        }
        if (content.plain() != null && fullParams >= 0 && content.plain().numParams() != fullParams) {
            out.printf("  (the source network has %,d: batch norms folded into the convolution before them are not"
                    + " counted)%n", content.plain().numParams());
        }
        if (macsFull >= 0) {
            out.printf("MACs per example: %,d at full size, %,d at the current sizes (%.1f%%)%n", macsFull, macsCurrent,
                    macsFull == 0 ? 100.0 : 100.0 * macsCurrent / macsFull);
        } else {
            out.println("MACs per example: not counted; give --input-type (e.g. cnn:28x28x1) to count them.");
        }
    }

    /** Writes a throwable with its frames and causes, for {@code --stacktrace}. */
    private static void printTrace(Throwable t, PrintStream err) {
        String prefix = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
            err.println(prefix + c);
            for (StackTraceElement frame : c.getStackTrace()) {
                err.println("\tat " + frame);
            }
            prefix = "Caused by: ";
        }
    }
}
