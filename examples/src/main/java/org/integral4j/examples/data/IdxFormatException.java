package org.integral4j.examples.data;

import java.io.IOException;

/**
 * An IDX file (or stream) whose bytes do not form a valid IDX tensor of the kind expected: a wrong
 * magic number, an unsupported element type, a wrong number of dimensions, a truncated or over-long
 * body, or a corrupt gzip wrapper. The message names the source, the expected and the actual value.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was expected, what was found, and in which file
     */
    public IdxFormatException(String message) {
        super(message);
    }

    /**
     * @param message what was expected, what was found, and in which file
     * @param cause   the lower-level failure (e.g. a {@link java.util.zip.ZipException})
     */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
