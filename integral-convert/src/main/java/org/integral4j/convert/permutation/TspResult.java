package org.integral4j.convert.permutation;

import java.time.Duration;

/**
 * The channel order found by {@link TspSolver} and what it cost. Immutable.
 *
 * <p>{@link #order()}: new channel {@code k} takes old channel {@code order[k]}. Lengths are open
 * path lengths {@code Σ_k D[order[k]][order[k+1]]} of the solved {@link DistanceMatrix}, recomputed
 * from the returned order; {@code lengthAfter() <= lengthBefore()} always holds.
 */
public final class TspResult {

    private final int[] order;
    private final double lengthBefore;
    private final double lengthAfter;
    private final boolean exact;
    private final int starts;
    private final long perturbations;
    private final boolean timeLimitReached;
    private final Duration elapsed;

    TspResult(int[] order, double lengthBefore, double lengthAfter, boolean exact, int starts,
            long perturbations, boolean timeLimitReached, Duration elapsed) {
        this.order = order.clone();
        this.lengthBefore = lengthBefore;
        this.lengthAfter = lengthAfter;
        this.exact = exact;
        this.starts = starts;
        this.perturbations = perturbations;
        this.timeLimitReached = timeLimitReached;
        this.elapsed = elapsed;
    }

    /** @return a copy of the order: a permutation of {@code [0, n)} */
    public int[] order() {
        return order.clone();
    }

    /** @return whether the order is the identity (no ordering beat it) */
    public boolean isIdentity() {
        for (int k = 0; k < order.length; k++) {
            if (order[k] != k) {
                return false;
            }
        }
        return true;
    }

    /** @return the open path length of the identity order */
    public double lengthBefore() {
        return lengthBefore;
    }

    /** @return the open path length of {@link #order()}, {@code <= lengthBefore()} */
    public double lengthAfter() {
        return lengthAfter;
    }

    /** @return whether the order is a proven optimum (exact dynamic programming for small n) */
    public boolean exact() {
        return exact;
    }

    /** @return how many starting orders were searched (the identity included) */
    public int starts() {
        return starts;
    }

    /** @return how many perturbations were tried, over all starts */
    public long perturbations() {
        return perturbations;
    }

    /** @return whether the time limit stopped the search early */
    public boolean timeLimitReached() {
        return timeLimitReached;
    }

    /** @return wall-clock time of the solve */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "TspResult{n=" + order.length + ", lengthBefore=" + lengthBefore + ", lengthAfter="
                + lengthAfter + ", exact=" + exact + ", starts=" + starts + ", perturbations=" + perturbations
                + ", timeLimitReached=" + timeLimitReached + ", elapsed=" + elapsed + "}";
    }
}
