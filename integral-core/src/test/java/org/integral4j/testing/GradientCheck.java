package org.integral4j.testing;

import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;

/**
 * Central-difference gradient checks in double precision with a relative error and an absolute
 * floor, as DL4J's {@code GradientCheckUtil}: an entry passes when
 * {@code |a - n| / max(|a|, |n|) <= maxRelError} or {@code |a - n| <= absFloor}.
 */
public final class GradientCheck {

    /** Finite-difference step. */
    public static final double EPS = 1e-6;

    private GradientCheck() {
    }

    /**
     * The central difference of a loss with respect to one scalar.
     *
     * @param set   sets the scalar to a value (modifying the caller's state)
     * @param get   reads the scalar's current value
     * @param loss  evaluates the loss
     * @return {@code (L(x + eps) - L(x - eps)) / (2 eps)}; the scalar is restored afterwards
     */
    public static double centralDifference(DoubleUnaryOperator set, DoubleSupplier get, DoubleSupplier loss) {
        double x = get.getAsDouble();
        set.applyAsDouble(x + EPS);
        double plus = loss.getAsDouble();
        set.applyAsDouble(x - EPS);
        double minus = loss.getAsDouble();
        set.applyAsDouble(x);
        return (plus - minus) / (2 * EPS);
    }

    /**
     * The relative error with an absolute floor: 0 when both values are within {@code absFloor}.
     *
     * @param analytic analytic derivative
     * @param numeric  numeric derivative
     * @param absFloor absolute floor
     * @return the relative error, or 0
     */
    public static double relativeError(double analytic, double numeric, double absFloor) {
        double diff = Math.abs(analytic - numeric);
        if (diff <= absFloor) {
            return 0.0;
        }
        return diff / Math.max(Math.abs(analytic), Math.abs(numeric));
    }
}
