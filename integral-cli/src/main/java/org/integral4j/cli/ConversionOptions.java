package org.integral4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ModelNode;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkType;
import org.integral4j.convert.network.NodeSpec;
import picocli.CommandLine.Option;

/**
 * How a plain network is converted: the options {@code info} and {@code resize} share (a picocli
 * mixin). {@link #wrapper} turns them into an {@link IntegralWrapper.Builder} after checking them
 * against the network; commands add their own settings to that builder.
 */
final class ConversionOptions {

    @Option(names = "--input-type", paramLabel = "TYPE", converter = InputTypes.class,
            description = "Input type, to count MACs: cnn:HxWxC[:nhwc], ff:N or rnn:NxT, e.g. cnn:28x28x1; one per"
                    + " graph input, in order.")
    List<InputType> inputTypes = new ArrayList<>();

    @Option(names = "--discrete", paramLabel = "LAYER[,LAYER...]", split = ",",
            description = "Keep the channels of these layers (and of every layer tied to them) at their size.")
    List<String> discrete = new ArrayList<>();

    @Option(names = "--keep-unsupported", description = "Keep the channels around layers the converter does not"
            + " support at their size instead of failing.")
    boolean keepUnsupported;

    @Option(names = "--no-fuse-bn", description = "Do not fold batch norms into the convolution before them (they"
            + " stay batch-norm layers).")
    boolean noFuseBatchNorm;

    /** @return the input types, one per network input (empty when none were given) */
    InputType[] inputTypes() {
        return inputTypes.toArray(new InputType[0]);
    }

    /**
     * The options of this mixin that were given, for the note that they do not apply to a model
     * that is already integral.
     *
     * @return e.g. {@code [--discrete, --no-fuse-bn]}
     */
    List<String> conversionOnlyOptionsGiven() {
        List<String> given = new ArrayList<>();
        if (!discrete.isEmpty()) {
            given.add("--discrete");
        }
        if (keepUnsupported) {
            given.add("--keep-unsupported");
        }
        if (noFuseBatchNorm) {
            given.add("--no-fuse-bn");
        }
        return given;
    }

    /**
     * A wrapper builder with these options, checked against the network.
     *
     * @param plain the network to convert (not modified)
     * @return the builder (analysis options, batch-norm folding, input types set)
     * @throws CliException a usage error for a layer name the network does not have or input types
     *                      that do not fit it
     */
    IntegralWrapper.Builder wrapper(Model plain) throws CliException {
        ModelView view = ModelView.of(plain);
        AnalysisOptions.Builder analysis = AnalysisOptions.builder().keepUnsupportedDiscrete(keepUnsupported);
        discreteLayers(view).forEach(analysis::forceDiscrete);
        InputType[] types = inputTypes();
        requireInputTypesFit(plain, types);
        return IntegralWrapper.builder().analysisOptions(analysis.build()).fuseBatchNorm(!noFuseBatchNorm)
                .inputTypes(types);
    }

    /** The --discrete layer names, each checked against the network's nodes. */
    private Set<String> discreteLayers(ModelView view) throws CliException {
        Set<String> names = new LinkedHashSet<>();
        for (String name : discrete) {
            String n = name.trim();
            if (n.isEmpty()) {
                throw CliException.usage("--discrete has an empty layer name; separate names with commas.");
            }
            if (!view.contains(n) || view.node(n).kind() == NodeSpec.Kind.INPUT) {
                List<String> layers = new ArrayList<>();
                for (ModelNode node : view.nodes()) {
                    if (node.kind() != NodeSpec.Kind.INPUT) {
                        layers.add(node.name());
                    }
                }
                throw CliException.usage("--discrete: the network has no layer '%s'. Its layers and vertices: %s.",
                        n, String.join(", ", layers));
            }
            names.add(n);
        }
        return names;
    }

    /** One input type per network input, each accepted by DL4J's shape inference. */
    private void requireInputTypesFit(Model plain, InputType[] types) throws CliException {
        if (types.length == 0) {
            return;
        }
        Dl4jNetwork network = Dl4jNetwork.of(plain);
        List<String> inputs = network.inputNames();
        if (types.length != inputs.size()) {
            throw network.type() == NetworkType.MULTI_LAYER
                    ? CliException.usage("a MultiLayerNetwork has one input; got %d --input-type options.", types.length)
                    : CliException.usage("the graph has %d input(s) %s; got %d --input-type option(s). Give one per"
                    + " input, in this order.", inputs.size(), inputs, types.length);
        }
        try {
            network.configuration().outputTypes(types);
        } catch (RuntimeException e) {
            throw CliException.usage("--input-type %s does not fit the network: %s", inputTypes,
                    CliException.describe(e));
        }
    }
}
