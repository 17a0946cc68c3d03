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
}
