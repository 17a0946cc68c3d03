package org.integral4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.network.Dl4jNetwork;

/** What {@code info} and {@code resize} print about a model: groups, parameters and MACs. */
final class Report {

    private Report() {
    }

    /**
     * @param m a plain or integral network
     * @return "ComputationGraph" or "MultiLayerNetwork"
     */
    static String networkType(Model m) {
        return Dl4jNetwork.of(m).type().displayName();
    }

    /**
     * The first line: the file, what it holds and how many groups it has, then the group table.
     *
     * @param out     where to print
     * @param content the file's content
     * @param inn     its integral model
     */
    static void header(PrintWriter out, ModelFile.Content content, IntegralModel inn) {
        String what = content.integral() != null ? "integral model (" + networkType(inn.network()) + ")"
                : String.format("%s, %,d parameters", content.kind().label(), content.plain().numParams());
        out.printf("%s: %s; %d resizable channel group(s)%n", content.file(), what, inn.groupNames().size());
        out.print(inn.describe());
    }

    /**
     * Parameters (and MACs with input types) at full size and at the current sizes.
     *
     * @param out           where to print
     * @param content       the file's content
     * @param inn           its integral model
     * @param types         input types (may be empty)
     * @param fullParams    the full-size count when known without input types, else -1
     * @param currentParams the count at the current sizes
     * @throws CliException a failure when MACs cannot be counted with these input types
     */
    static void counts(PrintWriter out, ModelFile.Content content, IntegralModel inn, InputType[] types,
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
}
