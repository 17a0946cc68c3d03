package org.integral4j.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link GradientCheckUtil} in double precision (central differences, relative error with
 * an absolute floor) with this project's thresholds.
 */
final class GradientChecks {

    /** Largest accepted relative error. */
    static final double MAX_REL_ERROR = 1e-5;
    /** Absolute floor: smaller differences pass. */
    static final double MIN_ABS_ERROR = 1e-9;
    /** Finite-difference step. */
    static final double EPSILON = 1e-6;

    private GradientChecks() {
    }

    static void assertGradients(String what, MultiLayerNetwork net, INDArray x, INDArray y, Set<String> exclude) {
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .excludeParams(exclude).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, what + ": gradient check failed (see the log for the failing parameters)");
    }

    static void assertGradients(String what, ComputationGraph net, INDArray x, INDArray y, Set<String> exclude) {
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {y}).epsilon(EPSILON).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).excludeParams(exclude).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, what + ": gradient check failed (see the log for the failing parameters)");
    }
}
