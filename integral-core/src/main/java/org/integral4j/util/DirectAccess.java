package org.integral4j.util;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between the native memory of an {@link INDArray} and a Java {@code float[]} or
 * {@code double[]}, one {@code memcpy} each, for the Java-side kernels of Integral4J. Unlike
 * {@link Arrays2}, nothing is converted to double and no element is visited through ND4J's
 * per-element accessors.
 *
 * <p>Only arrays that the CPU backend keeps in host memory, 'c' ordered with default strides
 * (a contiguous block, possibly a view into a larger buffer such as a parameter vector), of type
 * FLOAT or DOUBLE, qualify ({@link #isDirect}). On other backends (CUDA keeps a device copy whose
 * synchronisation this class does not manage) callers fall back to {@link Arrays2}.
 */
public final class DirectAccess {

    private static volatile Boolean hostBackend;

    private DirectAccess() {
    }

    /**
     * Whether {@code a} can be read and written by {@link #read} and {@link #write}.
     *
     * @param a any array (not modified)
     * @return true for a non-empty FLOAT or DOUBLE array of the CPU backend whose elements are one
     *         contiguous block in 'c' order ({@link Arrays2#isContiguousC})
     */
    public static boolean isDirect(INDArray a) {
        return a != null && !a.isEmpty() && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE)
                && a.length() <= Integer.MAX_VALUE && Arrays2.isContiguousC(a) && hostBackend();
    }

    private static boolean hostBackend() {
        Boolean h = hostBackend;
        if (h == null) {
            h = Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU;
            hostBackend = h;
        }
        return h;
    }

    /**
     * Copies the elements of a FLOAT array into {@code dst[0 .. length)}.
     *
     * @param a   a FLOAT array for which {@link #isDirect} holds (not modified)
     * @param dst receives the elements in 'c' order; at least {@code a.length()} long (modified)
     */
    public static void read(INDArray a, float[] dst) {
        int n = requireDirect(a, DataType.FLOAT, dst.length);
        new FloatPointer(a.data().addressPointer()).position(0).get(dst, 0, n);
    }

    /**
     * Copies the elements of a DOUBLE array into {@code dst[0 .. length)}.
     *
     * @param a   a DOUBLE array for which {@link #isDirect} holds (not modified)
     * @param dst receives the elements in 'c' order; at least {@code a.length()} long (modified)
     */
    public static void read(INDArray a, double[] dst) {
        int n = requireDirect(a, DataType.DOUBLE, dst.length);
        new DoublePointer(a.data().addressPointer()).position(0).get(dst, 0, n);
    }

    /**
     * Copies {@code src[0 .. a.length())} into the elements of a FLOAT array.
     *
     * @param src values in 'c' order (not modified)
     * @param a   a FLOAT array for which {@link #isDirect} holds (modified)
     */
    public static void write(float[] src, INDArray a) {
        int n = requireDirect(a, DataType.FLOAT, src.length);
        new FloatPointer(a.data().addressPointer()).position(0).put(src, 0, n);
    }

    /**
     * Copies {@code src[0 .. a.length())} into the elements of a DOUBLE array.
     *
     * @param src values in 'c' order (not modified)
     * @param a   a DOUBLE array for which {@link #isDirect} holds (modified)
     */
    public static void write(double[] src, INDArray a) {
        int n = requireDirect(a, DataType.DOUBLE, src.length);
        new DoublePointer(a.data().addressPointer()).position(0).put(src, 0, n);
    }

    /**
     * The elements of a FLOAT array as a {@link FloatBuffer} over its native memory, in 'c' order:
     * reads and writes go to the array itself (no copy), for Java kernels that visit each element
     * once or twice.
     *
     * @param a a FLOAT array for which {@link #isDirect} holds (the buffer writes into it)
     * @return a buffer of {@code a.length()} elements, index i the i-th element in 'c' order
     */
    public static FloatBuffer floatView(INDArray a) {
        int n = requireDirect(a, DataType.FLOAT, Integer.MAX_VALUE);
        return new FloatPointer(a.data().addressPointer()).position(0).limit(n).capacity(n).asBuffer();
    }

    private static int requireDirect(INDArray a, DataType type, int javaLength) {
        Checks.require(isDirect(a) && a.dataType() == type, "DirectAccess",
                "expected a contiguous 'c' ordered %s array of the CPU backend, got %s %s (order %s).", type,
                a.dataType(), java.util.Arrays.toString(a.shape()), a.ordering());
        Checks.require(javaLength >= a.length(), "DirectAccess", "the Java array has %d elements, the INDArray %d.",
                javaLength, a.length());
        return (int) a.length();
    }
}
