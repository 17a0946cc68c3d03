package org.integral4j.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Strict number parsing for the command line: plain decimal notation only. Java's own parsers
 * also accept forms no user means ({@code 0x1p-1}, {@code NaN}, {@code Infinity}, {@code 1d},
 * {@code 0.5f}); these converters reject them with a message naming the valid range.
 */
final class Numbers {

    /** Decimal numbers: optional sign, digits with an optional fraction, optional exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    /** Whole numbers: optional sign, digits. */
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");

    private Numbers() {
    }

    /**
     * {@code --ratio}: a decimal number in {@code (0, 1]}.
     */
    static final class Ratio implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String s = value.trim();
            if (!DECIMAL.matcher(s).matches()) {
                throw new TypeConversionException("'" + value + "' is not a decimal number; give a width ratio in"
                        + " (0, 1], e.g. 0.5.");
            }
            double r = Double.parseDouble(s);
            if (!(r > 0 && r <= 1)) {
                throw new TypeConversionException("'" + value + "' is outside (0, 1]; give a width ratio in (0, 1]"
                        + " (1 keeps the full size, 0.5 halves every group).");
            }
            return r;
        }
    }

    /**
     * {@code --budget-macs}, {@code --budget-params}: a decimal fraction of the full network in
     * {@code (0, 1]}.
     */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String s = value.trim();
            if (!DECIMAL.matcher(s).matches()) {
                throw new TypeConversionException("'" + value + "' is not a decimal number; give a fraction of the"
                        + " full network in (0, 1], e.g. 0.3.");
            }
            double r = Double.parseDouble(s);
            if (!(r > 0 && r <= 1)) {
                throw new TypeConversionException("'" + value + "' is outside (0, 1]; give a fraction of the full"
                        + " network in (0, 1] (0.3: at most 30% of the full network's count).");
            }
            return r;
        }
    }

    /**
     * {@code --calibration-size}, {@code --multiple}: a whole number from 1 to 1,000,000.
     */
    static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String s = value.trim();
            if (WHOLE.matcher(s).matches() && s.replaceFirst("^[+-]", "").length() <= 7) {
                int v = Integer.parseInt(s);
                if (v >= 1 && v <= 1_000_000) {
                    return v;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a whole number from 1 to 1000000.");
        }
    }

    /**
     * {@code --seed}: a whole number in the range of {@code long}.
     */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String s = value.trim();
            try {
                if (WHOLE.matcher(s).matches()) {
                    return Long.parseLong(s);
                }
            } catch (NumberFormatException e) {
                // out of range: reported below
            }
            throw new TypeConversionException("'" + value + "' is not a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE + ".");
        }
    }

    /**
     * A channel count: a whole number in the range of {@code int} (whether it fits the group is
     * checked against the model).
     *
     * @param text  the value as given
     * @param where what it belongs to, for the message, e.g. {@code --size fc1.out=3}
     * @return the count
     * @throws TypeConversionException when it is not a whole number or outside the int range
     */
    static int channels(String text, String where) {
        String s = text.trim();
        if (!WHOLE.matcher(s).matches()) {
            throw new TypeConversionException("'" + where + "': '" + text + "' is not a whole number of channels.");
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            v = s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new TypeConversionException("'" + where + "': " + s + " channels is out of range; a group takes"
                    + " from 2 channels up to its full size (see them with the 'info' command).");
        }
        return (int) v;
    }
}
