package org.integral4j.function;

/**
 * Per-thread work arrays of the in-place sampling kernels of {@link WeightFunction}, so that a
 * training step that samples the same layers again allocates nothing on the Java heap. Three
 * slots per element type (input copy and two ping-pong buffers); each grows to the largest size
 * asked for. Requests above {@link #CACHE_LIMIT} elements get a fresh array that is not kept, so a
 * single huge weight (e.g. VGG-16's first dense layer, 10^8 values) does not pin its size in
 * every thread that ever sampled it.
 */
final class KernelScratch implements AutoCloseable {

    /** Largest slot kept per thread, in elements (16 MiB of floats). */
    static final int CACHE_LIMIT = 1 << 22;

    private static final int SLOTS = 3;
    private static final ThreadLocal<KernelScratch> PER_THREAD = ThreadLocal.withInitial(KernelScratch::new);

    private final float[][] floats = new float[SLOTS][];
    private final double[][] doubles = new double[SLOTS][];
    private boolean inUse;

    private KernelScratch() {
    }

    /**
     * The calling thread's scratch, or a temporary one when the thread's scratch is already in use
     * (a kernel re-entered on the same thread). Close it when done.
     *
     * @return the scratch
     */
    static KernelScratch acquire() {
        KernelScratch s = PER_THREAD.get();
        if (s.inUse) {
            return new KernelScratch();
        }
        s.inUse = true;
        return s;
    }

    /** Returns the scratch to its thread. */
    @Override
    public void close() {
        inUse = false;
    }

    /**
     * A float array of at least {@code length} elements; its contents are undefined.
     *
     * @param slot   0, 1 or 2: arrays of different slots never alias
     * @param length the required length
     * @return the array
     */
    float[] floats(int slot, long length) {
        int n = Math.toIntExact(length);
        if (n > CACHE_LIMIT) {
            return new float[n];
        }
        float[] a = floats[slot];
        if (a == null || a.length < n) {
            a = new float[n];
            floats[slot] = a;
        }
        return a;
    }

    /**
     * A double array of at least {@code length} elements; its contents are undefined.
     *
     * @param slot   0, 1 or 2: arrays of different slots never alias
     * @param length the required length
     * @return the array
     */
    double[] doubles(int slot, long length) {
        int n = Math.toIntExact(length);
        if (n > CACHE_LIMIT) {
            return new double[n];
        }
        double[] a = doubles[slot];
        if (a == null || a.length < n) {
            a = new double[n];
            doubles[slot] = a;
        }
        return a;
    }
}
