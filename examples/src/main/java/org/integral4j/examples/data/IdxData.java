package org.integral4j.examples.data;

import java.util.Arrays;

/**
 * An unsigned-byte IDX tensor held in memory: its dimensions and its elements in row-major ('c')
 * order. For an image file the dimensions are {@code (count, rows, cols)}, for a label file
 * {@code (count)}.
 *
 * <p>Immutable: the constructor takes ownership of the element array (it is not copied, as it may
 * hold 47 MB), and every public accessor returns copies or single values.
 */
public final class IdxData {

    private final int[] dims;
    private final byte[] data;

    /**
     * @param dims dimensions, each {@code >= 0}, at least one (not modified; copied)
     * @param data elements in row-major order, {@code length == product(dims)}; ownership passes to
     *             this object, so the caller must not modify it afterwards
     * @throws IllegalArgumentException if a dimension is negative or the length does not match
     */
    public IdxData(int[] dims, byte[] data) {
        if (dims.length == 0 || dims.length > 255) {
            throw new IllegalArgumentException(
                    "IDX tensors have 1 to 255 dimensions, got " + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            product *= d;
        }
        if (product != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " need "
                    + product + " elements, data has " + data.length);
        }
        this.dims = dims.clone();
        this.data = data;
    }

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    /** @return a copy of the dimensions, e.g. {@code [60000, 28, 28]} */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * @param axis 0-based axis
     * @return the size of that axis
     */
    public int dim(int axis) {
        return dims[axis];
    }

    /** @return the size of the first axis: the number of images or labels */
    public int count() {
        return dims[0];
    }

    /** @return the total number of elements */
    public int length() {
        return data.length;
    }

    /**
     * @param flatIndex row-major index in {@code [0, length())}
     * @return the element as an unsigned value in {@code [0, 255]}
     */
    public int unsigned(int flatIndex) {
        return data[flatIndex] & 0xFF;
    }

    /** @return a copy of the raw elements, row-major */
    public byte[] copyData() {
        return data.clone();
    }

    /** The backing array, for package-internal readers that promise not to modify it. */
    byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxData{ubyte " + Arrays.toString(dims) + "}";
    }
}
