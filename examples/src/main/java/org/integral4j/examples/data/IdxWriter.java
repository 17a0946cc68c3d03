package org.integral4j.examples.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files, the inverse of {@link IdxReader}: magic number
 * {@code 0x00 0x00 0x08 rank}, {@code rank} big-endian 4-byte dimension sizes, then the elements in
 * row-major order, optionally gzip-compressed at the best compression level. The output is
 * deterministic for a given zlib (the gzip header carries no time stamp).
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes {@code data} to {@code file}, replacing it.
     *
     * @param file destination, created or truncated (modified)
     * @param data tensor to write (not modified)
     * @param gzip whether to gzip-compress the file
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, IdxData data, boolean gzip) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, data, gzip);
        }
    }

    /**
     * Writes {@code data} to a stream, which is flushed but not closed.
     *
     * @param out  destination (modified)
     * @param data tensor to write (not modified)
     * @param gzip whether to gzip-compress the bytes
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, IdxData data, boolean gzip) throws IOException {
        OutputStream target = new NonClosing(out);
        if (gzip) {
            target = new BestGzipOutputStream(target);
        }
        try (DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(target, 1 << 16))) {
            dos.writeInt(IdxReader.TYPE_UNSIGNED_BYTE << 8 | data.rank());
            for (int k = 0; k < data.rank(); k++) {
                dos.writeInt(data.dim(k));
            }
            dos.write(data.data());
        }
    }

    /** gzip at {@link Deflater#BEST_COMPRESSION}. */
    private static final class BestGzipOutputStream extends GZIPOutputStream {
        BestGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }

    /** Passes everything through but turns {@code close()} into {@code flush()}. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
