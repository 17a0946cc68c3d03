package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.integral4j.examples.data.FashionMnist.SourceKind;
import org.integral4j.examples.data.FashionMnist.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source selection (directory, property, environment, system directory, embedded) and loading from a directory. */
class FashionMnistSourceTest {

    @TempDir
    Path tmp;

    private static final UnaryOperator<String> NONE = k -> null;

    /** Writes a tiny complete data set: train 30 images (gzipped), test 10 images (plain). */
    private Path tinyDataset(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        IdxWriter.write(dir.resolve("train-images-idx3-ubyte.gz"), Synthetic.images(30), true);
        IdxWriter.write(dir.resolve("train-labels-idx1-ubyte.gz"), Synthetic.labels(30, i -> i % 10), true);
        IdxWriter.write(dir.resolve("t10k-images-idx3-ubyte"), Synthetic.images(10), false);
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte"), Synthetic.labels(10, i -> 9 - i), false);
        return dir;
    }

    private static UnaryOperator<String> map(String key, String value) {
        return k -> Map.of(key, value).get(k);
    }

    @Test
    void explicitDirectoryWinsAndLoadsMixedPlainAndGzip() throws IOException {
        Path dir = tinyDataset("explicit");
        Path other = tinyDataset("other");
        FashionMnist fm = FashionMnist.resolve(dir, map(FashionMnist.DIR_PROPERTY, other.toString()), NONE, other);
        assertEquals(SourceKind.DIRECTORY, fm.sourceKind());
        assertEquals(Optional.of(dir), fm.directory());
        FashionMnistData train = fm.load(Split.TRAIN);
        FashionMnistData test = fm.test();
        assertEquals(30, train.size());
        assertEquals(10, test.size());
        assertEquals(9, test.label(0));
        assertArrayEquals(new long[] {30, 1, 28, 28}, train.features().shape());
        assertTrue(train.description().contains(dir.toString()), train.description());
    }

    @Test
    void propertyBeforeEnvironmentBeforeSystemDirectory() throws IOException {
        Path p = tinyDataset("prop");
        Path e = tinyDataset("env");
        Path s = tinyDataset("sys");
        FashionMnist byProp = FashionMnist.resolve(null, map(FashionMnist.DIR_PROPERTY, p.toString()),
                map(FashionMnist.DIR_ENV, e.toString()), s);
        assertEquals(SourceKind.SYSTEM_PROPERTY, byProp.sourceKind());
        assertEquals(Optional.of(p), byProp.directory());
        FashionMnist byEnv = FashionMnist.resolve(null, map(FashionMnist.DIR_PROPERTY, "  "),
                map(FashionMnist.DIR_ENV, e.toString()), s);
        assertEquals(SourceKind.ENVIRONMENT, byEnv.sourceKind());
        FashionMnist bySys = FashionMnist.resolve(null, NONE, NONE, s);
        assertEquals(SourceKind.SYSTEM_PACKAGE, bySys.sourceKind());
        assertEquals(Split.TRAIN.fullSize(), bySys.expectedSize(Split.TRAIN));
    }

    @Test
    void fallsBackToEmbeddedWhenSystemDirectoryIsAbsentOrIncomplete() throws IOException {
        FashionMnist absent = FashionMnist.resolve(null, NONE, NONE, tmp.resolve("nowhere"));
        assertEquals(SourceKind.EMBEDDED, absent.sourceKind());
        assertTrue(absent.isEmbedded());
        assertEquals(Optional.empty(), absent.directory());
        Path partial = tinyDataset("partial");
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte"));
        assertEquals(SourceKind.EMBEDDED, FashionMnist.resolve(null, NONE, NONE, partial).sourceKind());
    }

    @Test
    void configuredButUnusableDirectoryIsAnErrorNotAFallback() throws IOException {
        Path partial = tinyDataset("partial");
        Files.delete(partial.resolve("train-images-idx3-ubyte.gz"));
        String m = assertThrows(IllegalArgumentException.class, () -> FashionMnist.resolve(null,
                map(FashionMnist.DIR_PROPERTY, partial.toString()), NONE, partial)).getMessage();
        assertTrue(m.contains(FashionMnist.DIR_PROPERTY) && m.contains("train-images-idx3-ubyte[.gz]")
                && m.contains(partial.toString()), m);
        m = assertThrows(IllegalArgumentException.class, () -> FashionMnist.resolve(null, NONE,
                map(FashionMnist.DIR_ENV, tmp.resolve("missing").toString()), partial)).getMessage();
        assertTrue(m.contains(FashionMnist.DIR_ENV) && m.contains("is not a directory"), m);
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.fromDirectory(partial));
    }

    @Test
    void corruptFileInDirectoryNamesTheFile() throws IOException {
        Path dir = tinyDataset("corrupt");
        Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 10, 1, 2, 3});
        FashionMnist fm = FashionMnist.fromDirectory(dir);
        IdxFormatException e = assertThrows(IdxFormatException.class, fm::test);
        assertTrue(e.getMessage().contains(labels.toAbsolutePath().toString())
                && e.getMessage().contains("need 10 data bytes"), e.getMessage());
    }

    @Test
    void mismatchedSplitsAreRejected() throws IOException {
        Path dir = tinyDataset("mismatch");
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte"), Synthetic.labels(30, i -> 0), false);
        String m = assertThrows(IllegalArgumentException.class, () -> FashionMnist.fromDirectory(dir).test())
                .getMessage();
        assertTrue(m.contains("10 images but 30 labels"), m);
    }

    @Test
    void classNames() {
        assertEquals(FashionMnist.NUM_CLASSES, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }
}
