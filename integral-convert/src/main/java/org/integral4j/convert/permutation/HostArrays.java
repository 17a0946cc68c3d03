package org.integral4j.convert.permutation;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks on how an {@link INDArray}'s elements lie in its buffer. */
final class HostArrays {

    private HostArrays() {
    }

    /**
     * Whether the array's buffer holds exactly its elements in row-major order: offset 0, buffer
     * length equal to the array length and row-major strides (axes of size 1 may have any stride).
     * The ordering flag alone is not enough: a permuted array can report 'c' with other strides.
     *
     * @param a the array (not modified)
     * @return true when {@code a.data()} can be read as the row-major element sequence
     */
    static boolean isCompactRowMajor(INDArray a) {
        if (a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
