package org.integral4j.cli;

import java.util.Locale;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts {@code --input-type} values into DL4J {@link InputType}s:
 * <ul>
 *   <li>{@code cnn:HxWxC}: images of height H, width W and C channels, channels-first (NCHW)
 *       data: {@code InputType.convolutional(H, W, C)}; {@code cnn:HxWxC:nhwc} for channels-last
 *       data (e.g. Keras imports);</li>
 *   <li>{@code ff:N}: N features: {@code InputType.feedForward(N)};</li>
 *   <li>{@code rnn:NxT}: N features over T time steps: {@code InputType.recurrent(N, T)}.</li>
 * </ul>
 * Every size is a positive whole number (decimal digits only).
 */
final class InputTypes implements ITypeConverter<InputType> {

    /** The accepted forms, for messages. */
    static final String FORMS = "cnn:HxWxC (e.g. cnn:28x28x1; cnn:HxWxC:nhwc for channels-last data),"
            + " ff:N (e.g. ff:784) or rnn:NxT (features x time steps, e.g. rnn:3x12)";

    @Override
    public InputType convert(String value) {
        return parse(value);
    }

    /**
     * Parses one value.
     *
     * @param spec e.g. {@code cnn:28x28x1}
     * @return the type
     * @throws TypeConversionException naming the bad value and the accepted forms
     */
    static InputType parse(String spec) {
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

    private static long[] sizes(String spec, String text, int count) {
        String[] parts = text.split("x", -1);
        if (parts.length != count) {
            throw bad(spec);
        }
        long[] d = new long[count];
        for (int i = 0; i < count; i++) {
            String p = parts[i].trim();
            if (!p.matches("[0-9]{1,9}")) {
                throw bad(spec);
            }
            d[i] = Long.parseLong(p);
            if (d[i] <= 0) {
                throw new TypeConversionException("'" + spec + "': sizes must be positive, got " + d[i] + ".");
            }
        }
        return d;
    }

    private static TypeConversionException bad(String spec) {
        return new TypeConversionException("'" + spec + "' is not an input type; expected " + FORMS + ".");
    }
}
