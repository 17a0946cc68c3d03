package org.integral4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code --size GROUP=N} value: a group name and a channel count. Whether the group exists
 * and takes N channels is checked against the model, right after the analysis.
 *
 * @param group the group name (everything before the last {@code =})
 * @param size  the channel count
 */
record SizeSpec(String group, int size) {

    /** Parses {@code GROUP=N}. */
    static final class Converter implements ITypeConverter<SizeSpec> {
        @Override
        public SizeSpec convert(String value) {
            int eq = value.lastIndexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new TypeConversionException("'" + value + "' is not GROUP=N; e.g. --size conv1.out=16.");
            }
            String group = value.substring(0, eq);
            return new SizeSpec(group, Numbers.channels(value.substring(eq + 1), "--size " + value));
        }
    }
}
