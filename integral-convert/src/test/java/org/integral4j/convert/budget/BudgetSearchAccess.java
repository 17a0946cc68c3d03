package org.integral4j.convert.budget;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Test access to package-private helpers. */
public final class BudgetSearchAccess {
    private BudgetSearchAccess() {
    }

    public static double kl(INDArray p, INDArray q) {
        return BudgetSearch.distortion(p, q);
    }
}
