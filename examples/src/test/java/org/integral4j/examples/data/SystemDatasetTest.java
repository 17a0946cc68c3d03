package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import org.integral4j.examples.data.FashionMnist.SourceKind;
import org.integral4j.examples.data.FashionMnist.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The full data set from the Debian package; skipped where {@code dataset-fashion-mnist} is not installed. */
class SystemDatasetTest {

    @BeforeAll
    static void requirePackage() {
        assumeTrue(Files.isDirectory(FashionMnist.SYSTEM_DIR),
                "skipped: " + FashionMnist.SYSTEM_DIR + " absent (apt-get install -y dataset-fashion-mnist)");
    }

    private static int[] filled(int value) {
        int[] a = new int[FashionMnist.NUM_CLASSES];
        Arrays.fill(a, value);
        return a;
    }

    @Test
    void locatedAsSystemPackage() {
        FashionMnist fm = FashionMnist.resolve(null, k -> null, k -> null, FashionMnist.SYSTEM_DIR);
        assertEquals(SourceKind.SYSTEM_PACKAGE, fm.sourceKind());
    }

    @Test
    void fullSplitsHaveTheirPublishedSizesAndBalance() throws IOException {
        FashionMnist fm = FashionMnist.fromDirectory(FashionMnist.SYSTEM_DIR);
        FashionMnistData train = fm.load(Split.TRAIN);
        FashionMnistData test = fm.load(Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(filled(6000), train.classCounts());
        assertArrayEquals(filled(1000), test.classCounts());
        // first test label of the published t10k file is 9 (ankle boot), first training label also 9
        assertEquals(9, test.label(0));
        assertEquals(9, train.label(0));

        DataSet batch = train.iterator(1000, 5).next();
        INDArray f = batch.getFeatures();
        assertArrayEquals(new long[] {1000, 1, 28, 28}, f.shape());
        assertTrue(f.minNumber().doubleValue() >= 0.0);
        assertTrue(f.maxNumber().doubleValue() <= 1.0);
        assertEquals(1.0, f.maxNumber().doubleValue(), 0.0, "some pixel is saturated");
        assertEquals(1000.0, batch.getLabels().sumNumber().doubleValue(), 0.0);
    }
}
