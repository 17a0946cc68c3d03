package org.integral4j.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Bulk copies and the in-place float view, on whole arrays and on contiguous views with an offset. */
class DirectAccessTest {

    @Test
    void floatViewReadsAndWritesTheArrayInPlace() {
        INDArray a = oneToTwelve();
        FloatBuffer view = DirectAccess.floatView(a);
        assertEquals(12, view.capacity());
        assertEquals(7f, view.get(6));
        view.put(6, -1f);
        assertEquals(-1f, a.getFloat(1, 2));

        // Row 2 of the matrix: a contiguous view that starts 8 elements into the buffer.
        INDArray row = a.get(NDArrayIndex.point(2), NDArrayIndex.all());
        assertTrue(DirectAccess.isDirect(row));
        FloatBuffer rowView = DirectAccess.floatView(row);
        assertEquals(4, rowView.capacity());
        assertEquals(9f, rowView.get(0));
        rowView.put(3, 100f);
        assertEquals(100f, a.getFloat(2, 3));

        float[] copy = new float[4];
        DirectAccess.read(row, copy);
        assertArrayEquals(new float[] {9f, 10f, 11f, 100f}, copy);
    }

    /** {@code [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]} in float. */
    private static INDArray oneToTwelve() {
        float[] v = new float[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return Nd4j.createFromArray(v).reshape(3, 4);
    }

    @Test
    void floatViewRejectsArraysItCannotViewDirectly() {
        INDArray column = oneToTwelve()
                .get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertFalse(DirectAccess.isDirect(column));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectAccess.floatView(column));
        assertTrue(e.getMessage().contains("contiguous 'c' ordered FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DirectAccess.floatView(Nd4j.rand(DataType.DOUBLE, 3)));
    }
}
