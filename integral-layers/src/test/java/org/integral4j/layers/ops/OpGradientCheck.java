package org.integral4j.layers.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.integral4j.testing.GradientCheck;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks an analytic gradient of {@code L = sum(G * f())} against central differences. */
final class OpGradientCheck {

    static final double MAX_REL_ERROR = 1e-5;
    static final double ABS_FLOOR = 1e-8;

    private OpGradientCheck() {
    }

    /**
     * @param what     name for messages
     * @param param    the array that is perturbed in place (restored afterwards)
     * @param analytic dL/dparam
     * @param g        the fixed upstream G
     * @param f        recomputes the output from the current state
     */
    static void check(String what, INDArray param, INDArray analytic, INDArray g, Supplier<INDArray> f) {
        double worst = 0;
        long worstIndex = -1;
        for (long k = 0; k < param.length(); k++) {
            final long kk = k;
            double numeric = GradientCheck.centralDifference(v -> {
                param.putScalar(kk, v);
                return v;
            }, () -> param.getDouble(kk), () -> f.get().mul(g).sumNumber().doubleValue());
            double err = GradientCheck.relativeError(analytic.getDouble(k), numeric, ABS_FLOOR);
            if (err > worst) {
                worst = err;
                worstIndex = k;
            }
        }
        assertTrue(worst < MAX_REL_ERROR, what + ": worst relative error " + worst + " at flat index " + worstIndex);
    }
}
