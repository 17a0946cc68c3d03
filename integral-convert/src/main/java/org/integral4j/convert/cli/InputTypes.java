package org.integral4j.convert.cli;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Parses the {@code --input-type} values of the command line into DL4J {@link InputType}s:
 * <ul>
 *   <li>{@code cnn:HxWxC} — images of height H, width W and C channels, channels-first (NCHW)
 *       data: {@code InputType.convolutional(H, W, C)}; {@code cnn:HxWxC:nhwc} for channels-last
 *       data (e.g. Keras imports);</li>
 *   <li>{@code ff:N} — N features: {@code InputType.feedForward(N)};</li>
 *   <li>{@code rnn:NxT} — N features over T time steps: {@code InputType.recurrent(N, T)}.</li>
 * </ul>
 * Every size is a positive integer.
 */
final class InputTypes {

    /** The accepted forms, for messages. */
    private static final String FORMS = "cnn:HxWxC (e.g. cnn:28x28x1; cnn:HxWxC:nhwc for channels-last data),"
            + " ff:N (e.g. ff:784) or rnn:NxT (features x time steps, e.g. rnn:3x12)";

    private InputTypes() {
    }

    /**
     * Parses several values, one per network input.
     *
     * @param specs the values in order (not modified)
     * @return the types, in the same order
     * @throws CliException a usage error naming the bad value and the accepted forms
     */
    static InputType[] parseAll(List<String> specs) throws CliException {
        InputType[] types = new InputType[specs.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = parse(specs.get(i));
        }
        return types;
    }

    /**
     * Parses one value.
     *
     * @param spec e.g. {@code cnn:28x28x1}
     * @return the type
     * @throws CliException a usage error naming the bad value and the accepted forms
     */
    static InputType parse(String spec) throws CliException {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String kind = parts[0];
        if (kind.equals("cnn") && (parts.length == 2 || (parts.length == 3 && isFormat(parts[2])))) {
            long[] d = sizes(spec, parts[1], 3);
            CNN2DFormat format = parts.length == 3 ? CNN2DFormat.valueOf(parts[2].toUpperCase(Locale.ROOT))
                    : CNN2DFormat.NCHW;
            return InputType.convolutional(d[0], d[1], d[2], format);
        }
        if (kind.equals("ff") && parts.length == 2) {
            return InputType.feedForward(sizes(spec, parts[1], 1)[0]);
        }
        if (kind.equals("rnn") && parts.length == 2) {
            long[] d = sizes(spec, parts[1], 2);
            return InputType.recurrent(d[0], d[1]);
        }
        throw bad(spec);
    }

    private static boolean isFormat(String s) {
        return s.equals("nchw") || s.equals("nhwc");
    }

    private static long[] sizes(String spec, String text, int count) throws CliException {
        String[] parts = text.split("x", -1);
        if (parts.length != count) {
            throw bad(spec);
        }
        long[] d = new long[count];
        for (int i = 0; i < count; i++) {
            try {
                d[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(spec);
            }
            if (d[i] <= 0) {
                throw CliException.usage("--input-type '%s': sizes must be positive, got %d.", spec, d[i]);
            }
        }
        return d;
    }

    private static CliException bad(String spec) {
        return CliException.usage("--input-type '%s' is not an input type; expected %s.", spec, FORMS);
    }
}
