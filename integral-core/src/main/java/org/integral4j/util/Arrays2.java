package org.integral4j.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between {@link INDArray} and Java arrays in row-major ('c') order. One bulk copy
 * instead of per-element access keeps the Java-side kernels of Integral4J fast.
 */
public final class Arrays2 {

    private Arrays2() {
    }

    /**
     * Copies an array's elements, in row-major order, into a new {@code double[]}.
     *
     * @param array any array, view or not, any order and floating type (not modified)
     * @return its elements in 'c' order
     */
    public static double[] toDoubles(INDArray array) {
        INDArray compact = isCompactC(array) ? array : array.dup('c');
        return compact.data().asDouble();
    }

    /**
     * Creates an array of the given shape and type from row-major values.
     *
     * @param values values in 'c' order (not modified)
     * @param shape  the shape; its product must equal {@code values.length}
     * @param type   the data type of the result (FLOAT, DOUBLE, HALF, ...)
     * @return a new 'c'-ordered array
     */
    public static INDArray fromDoubles(double[] values, long[] shape, DataType type) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, 'c');
        }
        if (type == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, shape, 'c');
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    /**
     * Whether the array's data buffer holds exactly its elements in 'c' order from offset 0.
     *
     * @param array the array
     * @return true when {@code array.data()} can be read directly
     */
    public static boolean isCompactC(INDArray array) {
        // A permuted array may report 'c' ordering and isView() == false, so the strides are checked.
        return array.ordering() == 'c' && array.offset() == 0 && array.data().length() == array.length()
                && Shape.hasDefaultStridesForShape(array);
    }

    /**
     * Whether the array's elements are one contiguous block in 'c' order starting at its offset:
     * every axis longer than 1 has the row-major stride (axes of length 1 may carry any stride, as
     * ND4J's reshape leaves them). The block may lie inside a larger buffer (a view).
     *
     * @param array the array (not modified)
     * @return true when element {@code i} of the flattened array is at offset {@code i}
     */
    public static boolean isContiguousC(INDArray array) {
        if (array.ordering() != 'c' && array.rank() > 1 && array.length() > 1) {
            // 'f' order is contiguous in 'c' order only when at most one axis is longer than 1
            int longer = 0;
            for (long d : array.shape()) {
                longer += d > 1 ? 1 : 0;
            }
            if (longer > 1) {
                return false;
            }
        }
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /**
     * Product of the given dimensions.
     *
     * @param shape dimensions
     * @param from  first index (inclusive)
     * @param to    last index (exclusive)
     * @return the product, 1 for an empty range
     */
    public static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
