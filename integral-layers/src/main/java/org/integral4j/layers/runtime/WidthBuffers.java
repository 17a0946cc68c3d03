package org.integral4j.layers.runtime;

import java.util.HashMap;
import java.util.Map;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reusable flat buffers, one per key, sized for the full width of a layer's tensor and handed out as
 * 'c'-ordered views of the current (drawn) shape: the first {@code prod(shape)} elements, with default
 * strides, so libnd4j ops and the in-place kernels read them like fresh arrays. Random-partition
 * training changes the shapes every step; with these buffers a step allocates nothing for sampled
 * weights and weight gradients. A buffer grows only when a shape exceeds its capacity (a width
 * above the full size, or another data type); it never shrinks.
 *
 * <p>The buffers live outside DL4J's workspaces (detached), so they survive between the forward
 * and the backward pass and between iterations. A view is valid until the next call for the same
 * key. Not thread-safe: one instance per layer.
 */
final class WidthBuffers {

    private final Map<String, INDArray> buffers = new HashMap<>();

    /**
     * A view of shape {@code shape} over the buffer of {@code key}.
     *
     * @param key        which buffer (e.g. the parameter key)
     * @param type       the data type of the view
     * @param shape      the current shape (not modified)
     * @param fullLength the element count at full width: the capacity allocated the first time
     * @return a 'c'-ordered view with default strides whose contents are undefined
     */
    INDArray view(String key, DataType type, long[] shape, long fullLength) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        Checks.require(length > 0, "WidthBuffers", "shape %s of '%s' is empty.", java.util.Arrays.toString(shape), key);
        INDArray buffer = buffers.get(key);
        if (buffer == null || buffer.dataType() != type || buffer.length() < length) {
            buffer = Nd4j.createUninitializedDetached(type, Math.max(length, fullLength));
            buffers.put(key, buffer);
        }
        return Nd4j.create(buffer.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type);
    }

    /** Releases every buffer (they are allocated again on demand). */
    void clear() {
        buffers.clear();
    }
}
