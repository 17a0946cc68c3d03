package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX parsing on small synthetic files: header, dimensions, gzip detection and every error path. */
class IdxReaderTest {

    @TempDir
    Path dir;

    /** A 1-D unsigned-byte tensor written byte by byte, independently of {@link IdxWriter}. */
    private static final byte[] LABELS_3 = {0, 0, 8, 1, 0, 0, 0, 3, 5, 9, (byte) 255};

    /** Image header for dims (2, 2, 3) followed by 12 pixels. */
    private static byte[] images223() {
        byte[] b = new byte[16 + 12];
        b[2] = 8;
        b[3] = 3;
        b[7] = 2;
        b[11] = 2;
        b[15] = 3;
        for (int i = 0; i < 12; i++) {
            b[16 + i] = (byte) (i * 20);
        }
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(content);
        }
        return bos.toByteArray();
    }

    private static String messageOf(Path p, int rank) {
        return assertThrows(IdxFormatException.class, () -> IdxReader.read(p, rank)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message lacks '" + part + "': " + message);
        }
    }

    @Test
    void readsHandWrittenLabelFile() throws IOException {
        IdxData d = IdxReader.read(file("labels", LABELS_3), IdxReader.LABEL_RANK);
        assertArrayEquals(new int[] {3}, d.dims());
        assertEquals(3, d.count());
        assertEquals(5, d.unsigned(0));
        assertEquals(9, d.unsigned(1));
        assertEquals(255, d.unsigned(2), "bytes are unsigned");
    }

    @Test
    void readsHandWrittenImageFileWithDimsInOrder() throws IOException {
        IdxData d = IdxReader.read(file("images", images223()));
        assertArrayEquals(new int[] {2, 2, 3}, d.dims());
        assertEquals(12, d.length());
        assertEquals(11 * 20, d.unsigned(11));
    }

    @Test
    void detectsGzipFromContentNotName() throws IOException {
        IdxData plain = IdxReader.read(file("a", images223()), IdxReader.IMAGE_RANK);
        IdxData gzNoSuffix = IdxReader.read(file("b", gzip(images223())), IdxReader.IMAGE_RANK);
        IdxData plainWithGzSuffix = IdxReader.read(file("c.gz", images223()), IdxReader.IMAGE_RANK);
        assertArrayEquals(plain.copyData(), gzNoSuffix.copyData());
        assertArrayEquals(plain.copyData(), plainWithGzSuffix.copyData());
    }

    @Test
    void writerRoundTripsPlainAndGzip() throws IOException {
        byte[] data = new byte[4 * 5 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        IdxData original = new IdxData(new int[] {4, 5, 6}, data.clone());
        for (boolean gz : new boolean[] {false, true}) {
            Path p = dir.resolve("rt" + gz);
            IdxWriter.write(p, original, gz);
            IdxData back = IdxReader.read(p, 3);
            assertArrayEquals(original.dims(), back.dims());
            assertArrayEquals(data, back.copyData());
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        IdxWriter.write(plain, new IdxData(new int[] {3}, new byte[] {5, 9, (byte) 255}), false);
        assertArrayEquals(LABELS_3, plain.toByteArray(), "writer emits the documented byte layout");
    }

    @Test
    void readsFromStreamWithoutClosingOrRank() throws IOException {
        IdxData d = IdxReader.read(new ByteArrayInputStream(gzip(LABELS_3)), "mem", -1);
        assertArrayEquals(new int[] {3}, d.dims());
    }

    @Test
    void emptyDimensionIsAllowed() throws IOException {
        IdxData d = IdxReader.read(file("empty", new byte[] {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28}), 3);
        assertArrayEquals(new int[] {0, 28, 28}, d.dims());
        assertEquals(0, d.length());
    }

    @Test
    void labelFileWhereImagesExpectedNamesBothMagicNumbersAndPath() throws IOException {
        Path p = file("train-images-idx3-ubyte", LABELS_3);
        assertContains(messageOf(p, IdxReader.IMAGE_RANK), "expected magic number 0x00000803",
                "found 0x00000801", p.toAbsolutePath().toString(), "label file");
    }

    @Test
    void imageFileWhereLabelsExpected() throws IOException {
        Path p = file("labels", images223());
        assertContains(messageOf(p, IdxReader.LABEL_RANK), "0x00000801", "0x00000803", "image file");
    }

    @Test
    void notAnIdxFile() throws IOException {
        Path p = file("hello.txt", "hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertContains(messageOf(p, 3), "not an IDX file", "expected magic number 0x00000803",
                "found 0x68656C6C", p.toAbsolutePath().toString());
    }

    @Test
    void littleEndianHeaderGetsAHint() throws IOException {
        Path p = file("le", new byte[] {1, 8, 0, 0, 3, 0, 0, 0, 1, 2, 3});
        assertContains(messageOf(p, 1), "found 0x01080000", "big-endian");
    }

    @Test
    void unsupportedElementType() throws IOException {
        Path p = file("floats", new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        assertContains(messageOf(p, 1), "0x0D (float)", "only type 0x08", "found 0x00000D01");
    }

    @Test
    void zeroRank() throws IOException {
        assertContains(messageOf(file("r0", new byte[] {0, 0, 8, 0}), -1), "0 dimensions");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = file("empty", new byte[0]);
        assertContains(messageOf(p, 1), "truncated IDX header", "expected a 4-byte magic number", "found 0 bytes",
                p.toAbsolutePath().toString());
    }

    @Test
    void truncatedDimensions() throws IOException {
        Path p = file("dims", Arrays.copyOf(images223(), 10));
        assertContains(messageOf(p, 3), "expected 16 header bytes", "found 10", p.toAbsolutePath().toString());
    }

    @Test
    void truncatedBodyStatesExpectedAndActual() throws IOException {
        Path p = file("body", Arrays.copyOf(images223(), 16 + 5));
        assertContains(messageOf(p, 3), "truncated IDX file", p.toAbsolutePath().toString(), "[2, 2, 3]",
                "need 12 data bytes", "16-byte header", "found 5");
    }

    @Test
    void truncatedBodyInsideValidGzip() throws IOException {
        Path p = file("body.gz", gzip(Arrays.copyOf(images223(), 20)));
        assertContains(messageOf(p, 3), "truncated IDX file", "(gzip)", "need 12 data bytes", "found 4");
    }

    @Test
    void trailingBytes() throws IOException {
        Path p = file("long", Arrays.copyOf(LABELS_3, LABELS_3.length + 2));
        assertContains(messageOf(p, 1), "2 unexpected bytes", "expected 11 bytes in all, found 13");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] big = new byte[16 + 10 * 28 * 28];
        big[2] = 8;
        big[3] = 3;
        big[7] = 10;
        big[11] = 28;
        big[15] = 28;
        for (int i = 16; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 3));
        }
        byte[] gz = gzip(big);
        Path p = file("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertContains(messageOf(p, 3), "corrupt or truncated gzip data", p.toAbsolutePath().toString(),
                "of the " + big.length + " that the IDX header declares");
    }

    @Test
    void corruptGzipData() throws IOException {
        byte[] gz = gzip(images223());
        for (int i = 10; i < gz.length - 8; i++) {
            gz[i] = (byte) 0xFF;
        }
        Path p = file("bad.gz", gz);
        assertContains(messageOf(p, 3), "gzip", p.toAbsolutePath().toString());
    }

    @Test
    void missingFileIsNoSuchFile() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> IdxReader.read(dir.resolve("absent"), 1));
    }

    @Test
    void rankArgumentIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(dir.resolve("x"), 0));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(dir.resolve("x"), 256));
    }

    @Test
    void idxDataValidatesItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new IdxData(new int[] {2, 3}, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new IdxData(new int[] {-1}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IdxData(new int[0], new byte[0]));
    }
}
