package org.integral4j.examples.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed
 * (detected from the content, not the file name).
 *
 * <p>Format (all integers big-endian): a 4-byte magic number {@code 0x00 0x00 type rank}, then
 * {@code rank} 4-byte dimension sizes, then {@code product(dims)} elements in row-major order.
 * Only element type {@value #TYPE_UNSIGNED_BYTE} (unsigned byte) is supported, so images have magic
 * {@code 0x00000803} (dims {@code (count, rows, cols)}) and labels {@code 0x00000801} (dims
 * {@code (count)}). See Y. LeCun et al., "The MNIST database of handwritten digits".
 *
 * <p>Every malformed input raises an {@link IdxFormatException} naming the source, the expected
 * and the actual value: wrong magic number, unsupported type, wrong rank, truncated header or body,
 * bytes after the declared body, corrupt gzip data.
 */
public final class IdxReader {

    /** IDX element type code for unsigned bytes. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;

    /** Rank of an IDX image file: {@code (count, rows, cols)}. */
    public static final int IMAGE_RANK = 3;

    /** Rank of an IDX label file: {@code (count)}. */
    public static final int LABEL_RANK = 1;

    private static final int ANY_RANK = -1;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER_SIZE = 1 << 16;
    /** Largest element count a Java byte array can hold safely. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

    private IdxReader() {
    }

    /**
     * Reads an unsigned-byte IDX file of any rank.
     *
     * @param file plain or gzipped IDX file (not modified)
     * @return its dimensions and elements
     * @throws IdxFormatException if the content is not a valid unsigned-byte IDX tensor
     * @throws IOException        if the file cannot be read
     */
    public static IdxData read(Path file) throws IOException {
        return read(file, ANY_RANK);
    }

    /**
     * Reads an unsigned-byte IDX file and checks its rank.
     *
     * @param file         plain or gzipped IDX file (not modified)
     * @param expectedRank required number of dimensions, e.g. {@link #IMAGE_RANK} or {@link #LABEL_RANK}
     * @return its dimensions and elements
     * @throws IdxFormatException if the content is invalid or has another rank
     * @throws IOException        if the file cannot be read
     */
    public static IdxData read(Path file, int expectedRank) throws IOException {
        checkRankArgument(expectedRank);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toAbsolutePath().toString(), expectedRank);
        }
    }

    /**
     * Reads one unsigned-byte IDX tensor from a stream, plain or gzipped, and checks that nothing
     * follows it. The stream is read to its end but not closed.
     *
     * @param in           the bytes (consumed)
     * @param source       name of the source for error messages, e.g. a path or resource name
     * @param expectedRank required number of dimensions, or any rank if negative
     * @return its dimensions and elements
     * @throws IdxFormatException if the content is invalid or has another rank
     * @throws IOException        if the stream fails
     */
    public static IdxData read(InputStream in, String source, int expectedRank) throws IOException {
        checkRankArgument(expectedRank);
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_SIZE);
        boolean gzip = startsWithGzipMagic(buffered);
        InputStream body;
        if (gzip) {
            try {
                body = new GZIPInputStream(buffered, BUFFER_SIZE);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException("corrupt gzip header in " + source + ": " + e.getMessage(), e);
            }
        } else {
            body = buffered;
        }
        Counter counter = new Counter(body, source, gzip);
        try {
            return parse(counter, expectedRank < 0 ? ANY_RANK : expectedRank);
        } catch (ZipException | EOFException e) {
            // Our own reads never throw EOFException (they count bytes); these come from gzip.
            String expected = counter.expectedTotal < 0 ? ""
                    : " of the " + counter.expectedTotal + " that the IDX header declares";
            throw new IdxFormatException("corrupt or truncated gzip data in " + source
                    + ": decompression failed after " + counter.position + " bytes" + expected
                    + " (" + e.getMessage() + ")", e);
        }
    }

    private static IdxData parse(Counter in, int expectedRank) throws IOException {
        byte[] magicBytes = new byte[4];
        int got = in.readFully(magicBytes, 0, 4);
        if (got < 4) {
            throw new IdxFormatException("truncated IDX header in " + in.describe()
                    + ": expected a 4-byte magic number, found " + got + " bytes");
        }
        int magic = ((magicBytes[0] & 0xFF) << 24) | ((magicBytes[1] & 0xFF) << 16)
                | ((magicBytes[2] & 0xFF) << 8) | (magicBytes[3] & 0xFF);
        int type = magicBytes[2] & 0xFF;
        int rank = magicBytes[3] & 0xFF;
        String expectedMagic = expectedRank == ANY_RANK
                ? "0x000008NN (unsigned byte, NN dimensions)"
                : String.format("0x%08X (unsigned byte, %d dimension%s)",
                        TYPE_UNSIGNED_BYTE << 8 | expectedRank, expectedRank, expectedRank == 1 ? "" : "s");
        if (magicBytes[0] != 0 || magicBytes[1] != 0) {
            String hint = "";
            if (magicBytes[3] == 0 && magicBytes[2] == 0 && (magicBytes[1] & 0xFF) == TYPE_UNSIGNED_BYTE) {
                hint = "; the bytes look reversed: IDX integers are big-endian";
            }
            throw new IdxFormatException(String.format(
                    "not an IDX file: expected magic number %s but found 0x%08X in %s%s",
                    expectedMagic, magic, in.describe(), hint));
        }
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IdxFormatException(String.format(
                    "unsupported IDX element type 0x%02X (%s) in %s: expected magic number %s, found 0x%08X;"
                            + " only type 0x08 (unsigned byte) is supported",
                    type, typeName(type), in.describe(), expectedMagic, magic));
        }
        if (rank == 0) {
            throw new IdxFormatException(String.format(
                    "IDX header of %s declares 0 dimensions (magic 0x%08X); expected %s",
                    in.describe(), magic, expectedMagic));
        }
        if (expectedRank != ANY_RANK && rank != expectedRank) {
            throw new IdxFormatException(String.format(
                    "wrong IDX rank in %s: expected magic number %s but found 0x%08X (%d dimension%s)%s",
                    in.describe(), expectedMagic, magic, rank, rank == 1 ? "" : "s", rankHint(expectedRank, rank)));
        }

        byte[] dimBytes = new byte[4 * rank];
        got = in.readFully(dimBytes, 0, dimBytes.length);
        if (got < dimBytes.length) {
            throw new IdxFormatException("truncated IDX header in " + in.describe() + ": expected "
                    + (4 + dimBytes.length) + " header bytes (magic number and " + rank
                    + " dimension sizes), found " + (4 + got));
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int k = 0; k < rank; k++) {
            long d = ((dimBytes[4 * k] & 0xFFL) << 24) | ((dimBytes[4 * k + 1] & 0xFF) << 16)
                    | ((dimBytes[4 * k + 2] & 0xFF) << 8) | (dimBytes[4 * k + 3] & 0xFF);
            if (d > Integer.MAX_VALUE) {
                throw new IdxFormatException("IDX header of " + in.describe() + " declares dimension "
                        + k + " of size " + d + ", more than " + Integer.MAX_VALUE + "; the file is corrupt");
            }
            dims[k] = (int) d;
            elements *= d;
            if (elements > MAX_ELEMENTS) {
                throw new IdxFormatException("IDX header of " + in.describe() + " declares more than "
                        + MAX_ELEMENTS + " elements (dimensions so far " + Arrays.toString(Arrays.copyOf(dims, k + 1))
                        + "); the file is corrupt or too large to load");
            }
        }
        int headerBytes = 4 + 4 * rank;
        in.expectedTotal = headerBytes + elements;
        byte[] data = new byte[(int) elements];
        got = in.readFully(data, 0, data.length);
        if (got < data.length) {
            throw new IdxFormatException("truncated IDX file " + in.describe() + ": dims "
                    + Arrays.toString(dims) + " need " + data.length + " data bytes after the "
                    + headerBytes + "-byte header, found " + got);
        }
        long extra = in.skipToEnd();
        if (extra > 0) {
            throw new IdxFormatException("IDX file " + in.describe() + " has " + extra
                    + " unexpected bytes after the " + data.length + " data bytes that dims "
                    + Arrays.toString(dims) + " declare (expected " + (headerBytes + data.length)
                    + " bytes in all, found " + (headerBytes + data.length + extra) + ")");
        }
        return new IdxData(dims, data);
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
    }

    private static void checkRankArgument(int expectedRank) {
        if (expectedRank == 0 || expectedRank > 255) {
            throw new IllegalArgumentException(
                    "expectedRank must be in [1, 255] (or negative for any rank), got " + expectedRank);
        }
    }

    private static String rankHint(int expected, int actual) {
        if (expected == IMAGE_RANK && actual == LABEL_RANK) {
            return "; this looks like a label file where an image file was expected";
        }
        if (expected == LABEL_RANK && actual == IMAGE_RANK) {
            return "; this looks like an image file where a label file was expected";
        }
        return "";
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    /** Reads while counting decompressed bytes, so errors can say how far the data went. */
    private static final class Counter {
        private final InputStream in;
        private final String source;
        private final boolean gzip;
        private long position;
        /** Header plus body bytes once the header is parsed, else -1. */
        private long expectedTotal = -1;

        Counter(InputStream in, String source, boolean gzip) {
            this.in = in;
            this.source = source;
            this.gzip = gzip;
        }

        /** Reads up to {@code len} bytes, stopping only at end of stream; returns the count read. */
        int readFully(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int n = in.read(b, off + total, len - total);
                if (n < 0) {
                    break;
                }
                total += n;
                position += n;
            }
            return total;
        }

        /** Consumes the rest of the stream and returns how many bytes it had. */
        long skipToEnd() throws IOException {
            byte[] scratch = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(scratch)) >= 0) {
                total += n;
            }
            position += total;
            return total;
        }

        String describe() {
            return gzip ? source + " (gzip)" : source;
        }
    }
}
