package org.integral4j.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Small timing helpers: run a task, keep the nanoseconds, report medians. */
final class Medians {

    private Medians() {
    }

    /**
     * Times one run.
     *
     * @param task the work
     * @return elapsed milliseconds
     */
    static double timeMs(Runnable task) {
        long t0 = System.nanoTime();
        task.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * The median.
     *
     * @param values samples (not modified)
     * @return the median
     */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /**
     * The median of boxed samples.
     *
     * @param values samples (not modified)
     * @return the median
     */
    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
