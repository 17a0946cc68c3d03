package org.integral4j.distributed.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparkScalingEstimateTest {

    private static double communication(long workers, double stateBytes, double bytesPerSecond) {
        return (1 + 2 * Math.ceil(Math.sqrt(workers))) * stateBytes / bytesPerSecond;
    }

    @Test
    void breakEvenIsTheFirstWorkerCountWhereCommunicationExceedsCompute() {
        double s = 2.7e6;
        double b = 10e9 / 8;
        for (double compute : new double[] {0.001, 0.01, 0.05, 0.3, 4.6, 69.0}) {
            long n = SparkScalingEstimate.breakEven(compute, s, b);
            assertTrue(communication(n, s, b) > compute, compute + " s: " + n);
            assertTrue(n == 2 || communication(n - 1, s, b) <= compute, compute + " s: " + n);
        }
        assertEquals(2, SparkScalingEstimate.breakEven(1e-9, s, b), "tiny compute: communication dominates at once");
    }
}
