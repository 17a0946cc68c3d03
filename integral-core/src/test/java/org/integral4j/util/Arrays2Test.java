package org.integral4j.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Arrays2Test {

    @Test
    void readsPermutedViewsAndFOrderInRowMajorOrder() {
        INDArray a = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape('c', 2, 3, 4);
        INDArray permuted = a.permute(2, 0, 1);
        assertFalse(Arrays2.isCompactC(permuted), "a permuted array is not compact 'c'");
        assertArrayEquals(permuted.dup('c').data().asDouble(), Arrays2.toDoubles(permuted));
        INDArray f = a.dup('f');
        assertArrayEquals(a.data().asDouble(), Arrays2.toDoubles(f));
        INDArray slice = a.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
        assertArrayEquals(slice.dup('c').data().asDouble(), Arrays2.toDoubles(slice));
        assertTrue(Arrays2.isCompactC(a));
        double[] v = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(v, Arrays2.toDoubles(Arrays2.fromDoubles(v, new long[] {2, 3}, DataType.FLOAT)));
    }

    @Test
    void contiguousCIgnoresStridesOfUnitAxesAndAcceptsViewsIntoLargerBuffers() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 2, 3, 4);
        assertTrue(Arrays2.isContiguousC(a));
        assertFalse(Arrays2.isContiguousC(a.permute(2, 0, 1)));
        assertFalse(Arrays2.isContiguousC(a.dup('f')));
        assertFalse(Arrays2.isContiguousC(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all())));
        assertTrue(Arrays2.isContiguousC(a.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all())));
        // unit axes with any stride, as ND4J's reshape produces them
        INDArray unit = Nd4j.create(a.data(), new long[] {6, 1, 4, 1}, new long[] {4, 99, 1, 7}, 0, 'c', DataType.FLOAT);
        assertTrue(Arrays2.isContiguousC(unit));
        // the first elements of a larger buffer
        INDArray prefix = Nd4j.create(a.data(), new long[] {2, 5}, new long[] {5, 1}, 0, 'c', DataType.FLOAT);
        assertTrue(Arrays2.isContiguousC(prefix));
        assertTrue(Arrays2.isContiguousC(Nd4j.arange(5).castTo(DataType.FLOAT).reshape('f', 1, 5)));
    }

    @Test
    void directAccessCopiesViewsAtAnOffsetBothWays() {
        INDArray flat = Nd4j.arange(30).castTo(DataType.FLOAT).reshape(1, 30);
        INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 19)).reshape('c', 3, 4);
        assertTrue(DirectAccess.isDirect(view));
        float[] f = new float[20];
        DirectAccess.read(view, f);
        for (int i = 0; i < 12; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(7 + i, f[i], 0f);
        }
        for (int i = 0; i < 12; i++) {
            f[i] = -i;
        }
        DirectAccess.write(f, view);
        org.junit.jupiter.api.Assertions.assertEquals(6f, flat.getFloat(0, 6), 0f);
        org.junit.jupiter.api.Assertions.assertEquals(0f, flat.getFloat(0, 7), 0f);
        org.junit.jupiter.api.Assertions.assertEquals(-11f, flat.getFloat(0, 18), 0f);
        org.junit.jupiter.api.Assertions.assertEquals(19f, flat.getFloat(0, 19), 0f);
        INDArray d = Nd4j.arange(6).castTo(DataType.DOUBLE).reshape('c', 2, 3);
        double[] dd = new double[6];
        DirectAccess.read(d, dd);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, dd);
        assertFalse(DirectAccess.isDirect(d.dup('f')));
        assertFalse(DirectAccess.isDirect(Nd4j.arange(6).castTo(DataType.INT).reshape(2, 3)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DirectAccess.read(view, new float[3]));
    }
}
