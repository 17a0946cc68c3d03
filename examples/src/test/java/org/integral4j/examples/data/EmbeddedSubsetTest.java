package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import org.integral4j.examples.data.FashionMnist.Split;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The subset shipped in the jar: shapes, class balance, pixel range, and that it is reproducible. */
class EmbeddedSubsetTest {

    private static int[] filled(int value) {
        int[] a = new int[FashionMnist.NUM_CLASSES];
        Arrays.fill(a, value);
        return a;
    }

    @Test
    void loadsWithRightShapesAndClassCounts() throws IOException {
        FashionMnist fm = FashionMnist.embedded();
        assertTrue(fm.isEmbedded());
        FashionMnistData train = fm.train();
        FashionMnistData test = fm.test();
        assertEquals(FashionMnist.EMBEDDED_TRAIN_SIZE, train.size());
        assertEquals(FashionMnist.EMBEDDED_TEST_SIZE, test.size());
        assertEquals(train.size(), fm.expectedSize(Split.TRAIN));
        assertArrayEquals(filled(1000), train.classCounts());
        assertArrayEquals(filled(200), test.classCounts());

        DataSet ds = test.toDataSet();
        INDArray f = ds.getFeatures();
        assertArrayEquals(new long[] {2000, 1, 28, 28}, f.shape());
        assertArrayEquals(new long[] {2000, 10}, ds.getLabels().shape());
        assertEquals(0.0, f.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, f.maxNumber().doubleValue(), 0.0);
        double mean = f.meanNumber().doubleValue();
        assertTrue(mean > 0.2 && mean < 0.4, "Fashion-MNIST mean pixel is about 0.29, got " + mean);
        assertArrayEquals(filled(200), Arrays.stream(ds.getLabels().sum(0).toIntVector()).toArray());
    }

    @Test
    void iteratesOverTheTrainingSubset() throws IOException {
        FashionMnistIterator it = FashionMnist.embedded().train().iterator(64, 42);
        int images = 0;
        int batches = 0;
        while (it.hasNext()) {
            images += it.next().numExamples();
            batches++;
        }
        assertEquals(10_000, images);
        assertEquals(157, batches);
    }

    @Test
    void equalsAFreshDrawFromTheSystemDataset() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.SYSTEM_DIR), "needs apt-get install dataset-fashion-mnist");
        FashionMnist full = FashionMnist.fromDirectory(FashionMnist.SYSTEM_DIR);
        FashionMnist embedded = FashionMnist.embedded();
        for (Split split : Split.values()) {
            FashionMnistData expected = MakeEmbeddedSubset.subset(full.load(split), split);
            FashionMnistData actual = embedded.load(split);
            assertArrayEquals(expected.imagesIdx().copyData(), actual.imagesIdx().copyData(), split + " images");
            assertArrayEquals(expected.labelsIdx().copyData(), actual.labelsIdx().copyData(), split + " labels");
        }
    }
}
