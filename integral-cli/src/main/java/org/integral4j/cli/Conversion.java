package org.integral4j.cli;

import java.io.PrintWriter;
import java.util.List;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.InvalidSizeException;
import org.integral4j.convert.NonFiniteParameterException;
import org.integral4j.convert.TargetSizes;

/**
 * Turns a model file's content into an {@link IntegralModel} at the requested sizes: a saved
 * integral model is resized, a plain network is converted (with a progress bar on a terminal).
 * Library exceptions become {@link CliException}s: sizes and group names the model rejects are
 * usage errors, everything else a failure with a hint that fits the cause.
 */
final class Conversion {

    private Conversion() {
    }

    /**
     * The integral model of a file at the target sizes.
     *
     * @param content      the file's content
     * @param wrapper      the conversion settings (used for a plain network only)
     * @param target       the sizes (empty: full size)
     * @param ignoredNotes conversion-only options that were given, noted as ignored for an integral model
     * @param verbose      whether {@code --verbose} was given (no progress bar then)
     * @param err          where notes go
     * @return the model
     * @throws CliException a usage error for sizes or groups the model rejects, a failure when the
     *                      conversion fails
     */
    static IntegralModel of(ModelFile.Content content, IntegralWrapper.Builder wrapper, TargetSizes target,
                            List<String> ignoredNotes, boolean verbose, PrintWriter err) throws CliException {
        if (content.integral() != null) {
            if (!ignoredNotes.isEmpty()) {
                err.println("note: " + content.file() + " is an integral model (already converted): "
                        + String.join(", ", ignoredNotes) + " only apply to conversion and are ignored.");
                err.flush();
            }
            IntegralModel inn = content.integral();
            try {
                inn.resize(target);
            } catch (InvalidSizeException e) {
                throw CliException.usage("%s", e.getMessage());
            }
            return inn;
        }
        try (ConversionProgress progress = ConversionProgress.onTerminal(verbose)) {
            if (progress != null) {
                wrapper.listener(progress);
            }
            IntegralModel inn = wrapper.targetSizes(target).build().wrapModel(content.plain());
            if (progress != null) {
                progress.done();
            }
            return inn;
        } catch (InvalidSizeException e) {
            throw CliException.usage("%s", e.getMessage());
        } catch (NonFiniteParameterException e) {
            throw CliException.failure("cannot convert the " + content.kind().label() + " in " + content.file()
                    + ": " + e.getMessage(), "Nothing was written. Check the source model with"
                    + " ModelSerializer.restore...(file).params() or train it again.", e);
        } catch (RuntimeException e) {
            String m = CliException.describe(e);
            boolean unsupported = m.contains("not supported") || m.contains("forceDiscrete")
                    || m.contains("no integral counterpart");
            throw CliException.failure("cannot convert the " + content.kind().label() + " in " + content.file()
                    + ": " + m, unsupported ? "--keep-unsupported keeps the channels around layers the converter"
                    + " does not support at their size; --discrete LAYER does so for chosen layers." : null, e);
        }
    }
}
