package org.integral4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.TargetSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code info MODEL}: the channel groups, parameters and MACs of a model; writes nothing. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = IntegralCli.Version.class,
        description = {"Show the resizable channel groups, parameters and MACs of a model.",
            "Converts a plain network in memory (without reordering channels, which changes neither the groups nor"
                    + " the counts) or reads a saved integral model, and prints its groups with their sizes and"
                    + " layers. Nothing is written."})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A DL4J ModelSerializer zip (MultiLayerNetwork or"
            + " ComputationGraph) or an integral model written by 'resize --integral'.")
    Path model;

    @Mixin
    ConversionOptions conversion;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws CliException {
        PrintWriter out = spec.commandLine().getOut();
        ModelFile.Content content = ModelFile.read(model.toFile());
        IntegralWrapper.Builder wrapper = content.plain() != null ? conversion.wrapper(content.plain()).permute(false)
                : null;
        IntegralModel inn = Conversion.of(content, wrapper, TargetSizes.builder().build(),
                conversion.conversionOnlyOptionsGiven(), common.verbose, spec.commandLine().getErr());
        Report.header(out, content, inn);
        Report.counts(out, content, inn, conversion.inputTypes(), inn.parameterCount(true), inn.parameterCount(false));
        out.flush();
        return IntegralCli.EXIT_OK;
    }
}
