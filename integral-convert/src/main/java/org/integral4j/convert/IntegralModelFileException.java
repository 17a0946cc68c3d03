package org.integral4j.convert;

import java.io.File;
import java.io.IOException;

/**
 * An Integral4J model file ({@link IntegralModel#save}) that cannot be loaded because it is
 * damaged or is not one: not a zip archive, a plain DL4J network without the Integral4J entry
 * ({@value IntegralModel#FILE_ENTRY}), an entry that is not JSON, lacks a field or holds a wrong
 * value, group sizes that do not match the integral layers' parameters, or DL4J entries
 * ({@code configuration.json}, {@code coefficients.bin}) that DL4J cannot restore. The message
 * names the file, the zip entry as it is stored (and the JSON field, where one is at fault) and
 * what is wrong.
 */
public final class IntegralModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final File file;
    private final String entry;

    /**
     * @param file    the file read
     * @param entry   the zip entry at fault (as stored in the zip), or null for the file as a whole
     * @param problem what is wrong and, where it helps, what to do
     * @param cause   the underlying exception; may be null
     */
    IntegralModelFileException(File file, String entry, String problem, Throwable cause) {
        super(file + (entry == null ? ": " : ", entry " + entry + ": ") + problem, cause);
        this.file = file;
        this.entry = entry;
    }

    /** @return the file that could not be loaded */
    public File file() {
        return file;
    }

    /** @return the zip entry at fault as it is stored in the zip, or null when the file as a whole is */
    public String entry() {
        return entry;
    }
}
