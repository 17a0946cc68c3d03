package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Batching, reset and seeded shuffling of {@link FashionMnistIterator}. */
class FashionMnistIteratorTest {

    private static final FashionMnistData DATA = Synthetic.data(25);

    /** Image ids of one epoch, read back from pixel values; also checks the labels match. */
    private static int[] epochIds(FashionMnistIterator it) {
        List<Integer> ids = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            for (int b = 0; b < ds.numExamples(); b++) {
                int id = Math.round(ds.getFeatures().getFloat(b, 0, 0, 0) * 255f)
                        + 256 * Math.round(ds.getFeatures().getFloat(b, 0, 0, 1) * 255f);
                assertEquals(1f, ds.getLabels().getFloat(b, id % 10), 0f, "label of image " + id);
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] batchSizes(FashionMnistIterator it) {
        List<Integer> sizes = new ArrayList<>();
        while (it.hasNext()) {
            sizes.add(it.next().numExamples());
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchesInFileOrderWithSmallerLastBatch() {
        FashionMnistIterator it = DATA.iterator(10);
        DataSet first = it.next();
        assertArrayEquals(new long[] {10, 1, 28, 28}, first.getFeatures().shape());
        assertArrayEquals(new long[] {10, 10}, first.getLabels().shape());
        it.reset();
        assertArrayEquals(new int[] {10, 10, 5}, batchSizes(it));
        it.reset();
        assertArrayEquals(IntStream.range(0, 25).toArray(), epochIds(it));
        assertEquals(3, it.batchesPerEpoch());
    }

    @Test
    void dropLastSkipsPartialBatch() {
        FashionMnistIterator it = FashionMnistIterator.builder(DATA).setBatchSize(10).optDropLast(true).build();
        assertArrayEquals(new int[] {10, 10}, batchSizes(it));
        assertEquals(2, it.batchesPerEpoch());
    }

    @Test
    void exhaustedIteratorThrowsUntilReset() {
        FashionMnistIterator it = DATA.iterator(25);
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        it.reset();
        assertTrue(it.hasNext());
        assertEquals(7, it.next(7).numExamples(), "next(num) overrides the batch size");
    }

    @Test
    void sameSeedSameOrderEveryEpoch() {
        FashionMnistIterator a = DATA.iterator(4, 11);
        FashionMnistIterator b = DATA.iterator(4, 11);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] ea = epochIds(a);
            assertArrayEquals(ea, epochIds(b), "epoch " + epoch);
            int[] sorted = ea.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, 25).toArray(), sorted, "each epoch is a permutation");
            a.reset();
            b.reset();
        }
        assertEquals(3, a.epoch());
    }

    @Test
    void epochsAndSeedsDiffer() {
        FashionMnistIterator a = DATA.iterator(5, 1);
        int[] e0 = epochIds(a);
        a.reset();
        int[] e1 = epochIds(a);
        assertNotEquals(Arrays.toString(e0), Arrays.toString(e1), "reshuffled after reset");
        assertNotEquals(Arrays.toString(e0), Arrays.toString(epochIds(DATA.iterator(5, 2))), "seed matters");
        assertNotEquals(Arrays.toString(IntStream.range(0, 25).toArray()), Arrays.toString(e0), "shuffled at all");
    }

    @Test
    void resetBeforeAnyBatchDoesNotSkipAnOrder() {
        FashionMnistIterator a = DATA.iterator(5, 9);
        a.reset();
        a.reset();
        assertEquals(0, a.epoch());
        assertArrayEquals(epochIds(DATA.iterator(5, 9)), epochIds(a));
    }

    @Test
    void preProcessorIsApplied() {
        FashionMnistIterator it = FashionMnistIterator.builder(DATA).setBatchSize(5)
                .optPreProcessor(ds -> ds.getFeatures().muli(2)).build();
        assertEquals(2f, it.next().getFeatures().getFloat(0, 0, 0, 2), 0f, "pixel 255 -> 1 -> doubled");
        it.setPreProcessor(null);
        assertEquals(1f, it.next().getFeatures().getFloat(0, 0, 0, 2), 0f);
    }

    @Test
    void describesItself() {
        FashionMnistIterator it = DATA.iterator(8, 3);
        assertEquals(784, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(8, it.batch());
        assertTrue(it.resetSupported());
        assertTrue(it.asyncSupported());
        assertEquals(FashionMnist.CLASS_NAMES, it.getLabels());
        assertEquals(25, it.numExamples());
    }

    @Test
    void builderValidates() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistIterator.builder(DATA).build()).getMessage();
        assertTrue(m.contains("setBatchSize"), m);
        assertThrows(IllegalArgumentException.class, () -> DATA.iterator(0));
        assertThrows(IllegalArgumentException.class, () -> DATA.iterator(5).next(0));
    }
}
