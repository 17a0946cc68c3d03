package org.integral4j.convert.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loading calibration images: IDX files and folders of PNG/JPEG, pixel scalings, errors. */
class CalibrationImagesTest {

    @TempDir
    Path dir;

    private Path writeIdx(String name, int magic, int n, int h, int w, int bytes, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(f);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(o)) {
            out.writeInt(magic);
            out.writeInt(n);
            out.writeInt(h);
            out.writeInt(w);
            for (int i = 0; i < bytes; i++) {
                out.writeByte(i % 256);
            }
        }
        return f;
    }

    @Test
    void idxImagesAreReadScaledAndLimited() throws IOException {
        Path f = writeIdx("images.gz", 0x803, 5, 2, 3, 5 * 6, true);
        INDArray all = CalibrationImages.read(f, 1, PixelScaling.RAW, 100, null);
        assertArrayEquals(new long[] {5, 1, 2, 3}, all.shape());
        assertEquals(7.0, all.getDouble(1, 0, 0, 1), 0);
        INDArray unit = CalibrationImages.readIdx(f, PixelScaling.UNIT, 2, null);
        assertArrayEquals(new long[] {2, 1, 2, 3}, unit.shape());
        assertEquals(7.0 / 255, unit.getDouble(1, 0, 0, 1), 1e-7);
        INDArray sym = CalibrationImages.readIdx(f, PixelScaling.SYMMETRIC, 1, null);
        assertEquals(-1.0, sym.getDouble(0, 0, 0, 0), 1e-7);
        INDArray a = CalibrationImages.readIdx(f, PixelScaling.RAW, 3, 9L);
        INDArray b = CalibrationImages.readIdx(f, PixelScaling.RAW, 3, 9L);
        assertEquals(a, b);
    }

    @Test
    void badIdxFilesAreClearErrors() throws IOException {
        Path labels = writeIdx("labels", 0x801, 5, 2, 3, 30, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationImages.readIdx(labels, PixelScaling.UNIT, 10, null));
        assertTrue(e.getMessage().contains("labels file"), e.getMessage());
        Path truncated = writeIdx("short", 0x803, 5, 2, 3, 20, false);
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> CalibrationImages.readIdx(truncated, PixelScaling.UNIT, 10, null));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CalibrationImages.readIdx(dir.resolve("missing"), PixelScaling.UNIT, 10, null));
    }

    @Test
    void imageFoldersAreReadInNameOrderAsGreyOrRgb() throws IOException {
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
            img.setRGB(1, 0, (10 * i) << 16 | 20 << 8 | 30);
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        INDArray rgb = CalibrationImages.read(dir, 3, PixelScaling.RAW, 10, null);
        assertArrayEquals(new long[] {3, 3, 2, 4}, rgb.shape());
        assertEquals(20.0, rgb.getDouble(2, 0, 0, 1), 0);
        assertEquals(20.0, rgb.getDouble(2, 1, 0, 1), 0);
        assertEquals(30.0, rgb.getDouble(2, 2, 0, 1), 0);
        INDArray grey = CalibrationImages.readFolder(dir, 1, PixelScaling.UNIT, 2, null);
        assertArrayEquals(new long[] {2, 1, 2, 4}, grey.shape());
        assertEquals(Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255.0, grey.getDouble(1, 0, 0, 1), 1e-6);
        BufferedImage other = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(other, "png", dir.resolve("z.png").toFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationImages.readFolder(dir, 1, PixelScaling.UNIT, 10, null));
        assertTrue(e.getMessage().contains("input size"), e.getMessage());
    }

    @Test
    void pixelScalingsParse() {
        assertEquals(PixelScaling.UNIT, PixelScaling.parse("unit"));
        assertEquals(PixelScaling.SYMMETRIC, PixelScaling.parse("Symmetric"));
        assertEquals((255 / 255.0 - 0.5) / 0.25, PixelScaling.parse("standardize:0.5,0.25").apply(255), 1e-12);
        assertEquals(2 * 3 + 1, PixelScaling.parse("affine:2,1").apply(3), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelScaling.parse("0-1"));
        assertTrue(e.getMessage().contains("unit"), e.getMessage());
    }
}
