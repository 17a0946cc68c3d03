package org.integral4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Labelled images: validation, subsets and conversion to ND4J arrays. */
class FashionMnistDataTest {

    private static int[] ids(FashionMnistData d) {
        return IntStream.range(0, d.size()).map(i -> Synthetic.idOf(d, i)).toArray();
    }

    @Test
    void featuresAreNchwFloatInUnitRange() {
        FashionMnistData d = Synthetic.data(3);
        INDArray f = d.features();
        assertArrayEquals(new long[] {3, 1, 28, 28}, f.shape());
        assertEquals(DataType.FLOAT, f.dataType());
        assertEquals('c', f.ordering());
        assertEquals(2 / 255f, f.getFloat(2, 0, 0, 0), 1e-7f, "pixel 0 of image 2");
        assertEquals(1f, f.getFloat(1, 0, 0, 2), 0f, "255 maps to 1");
        // row-major: pixel p = row * 28 + col; image 1 pixel (1, 3) = (1 + 31) mod 256
        assertEquals(32 / 255f, f.getFloat(1, 0, 1, 3), 1e-7f);
        assertEquals(32, d.pixel(1, 1, 3));
        assertTrue(f.minNumber().floatValue() >= 0f && f.maxNumber().floatValue() <= 1f);
    }

    @Test
    void labelsAreOneHot() {
        FashionMnistData d = Synthetic.data(12);
        INDArray y = d.oneHotLabels();
        assertArrayEquals(new long[] {12, 10}, y.shape());
        assertEquals(DataType.FLOAT, y.dataType());
        for (int i = 0; i < 12; i++) {
            assertEquals(1.0, y.getRow(i).sumNumber().doubleValue(), 0.0);
            assertEquals(1f, y.getFloat(i, i % 10), 0f);
        }
        DataSet ds = d.toDataSet();
        assertEquals(12, ds.numExamples());
        assertEquals(FashionMnist.CLASS_NAMES, ds.getLabelNamesList());
    }

    @Test
    void validatesFilesFitTogether() {
        IdxData images = Synthetic.images(5);
        String m = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistData.of(images, Synthetic.labels(4, i -> 0), "x")).getMessage();
        assertTrue(m.contains("5 images but 4 labels"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistData.of(images, Synthetic.labels(5, i -> i == 3 ? 10 : 0), "src")).getMessage();
        assertTrue(m.contains("label 10 at index 3 in src"), m);
        assertThrows(IllegalArgumentException.class,
                () -> FashionMnistData.of(new IdxData(new int[] {1, 28, 27}, new byte[28 * 27]),
                        Synthetic.labels(1, i -> 0), "x"));
        assertThrows(IllegalArgumentException.class,
                () -> FashionMnistData.of(images, images, "x"));
    }

    @Test
    void firstKeepsFileOrder() {
        FashionMnistData d = Synthetic.data(30).first(7);
        assertArrayEquals(IntStream.range(0, 7).toArray(), ids(d));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.data(3).first(4));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.data(3).first(-1));
    }

    @Test
    void randomSubsetIsSeededDistinctAndSorted() {
        FashionMnistData full = Synthetic.data(300);
        int[] a = ids(full.randomSubset(50, 7));
        assertArrayEquals(a, ids(full.randomSubset(50, 7)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(ids(full.randomSubset(50, 8))));
        assertEquals(50, Arrays.stream(a).distinct().count());
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
    }

    @Test
    void stratifiedSubsetKeepsBalancedClassesEqual() {
        FashionMnistData full = Synthetic.data(1000);
        FashionMnistData sub = full.stratifiedSubset(200, 3);
        int[] expected = new int[10];
        Arrays.fill(expected, 20);
        assertArrayEquals(expected, sub.classCounts());
        assertArrayEquals(ids(sub), ids(full.stratifiedSubset(200, 3)));
        for (int i = 0; i < sub.size(); i++) {
            assertEquals(Synthetic.idOf(sub, i) % 10, sub.label(i), "labels travel with their images");
        }
    }

    @Test
    void stratifiedSubsetUsesLargestRemainders() {
        // classes 0..2 with 50, 30, 20 images; n = 15 -> exact shares 7.5, 4.5, 3.0
        FashionMnistData full = Synthetic.data(100, i -> i < 50 ? 0 : i < 80 ? 1 : 2);
        int[] counts = full.stratifiedSubset(15, 1).classCounts();
        assertArrayEquals(new int[] {8, 4, 3, 0, 0, 0, 0, 0, 0, 0}, counts, "tie 0.5/0.5 goes to the lower class");
        assertEquals(100, full.stratifiedSubset(100, 1).size());
        assertEquals(0, full.stratifiedSubset(0, 1).size());
        assertThrows(IllegalArgumentException.class, () -> full.stratifiedSubset(101, 1));
    }

    @Test
    void selectAllowsAnyOrderAndRejectsBadIndices() {
        FashionMnistData full = Synthetic.data(20);
        assertArrayEquals(new int[] {5, 2, 5}, ids(full.select(new int[] {5, 2, 5})));
        String m = assertThrows(IllegalArgumentException.class, () -> full.select(new int[] {1, 20})).getMessage();
        assertTrue(m.contains("index 20 at position 1"), m);
    }

    @Test
    void idxViewsRoundTrip() {
        FashionMnistData d = Synthetic.data(4);
        FashionMnistData back = FashionMnistData.of(d.imagesIdx(), d.labelsIdx(), "back");
        assertArrayEquals(ids(d), ids(back));
        assertArrayEquals(d.classCounts(), back.classCounts());
    }
}
