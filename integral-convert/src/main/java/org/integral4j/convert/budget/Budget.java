package org.integral4j.convert.budget;

import org.integral4j.util.Checks;

/**
 * A compute or size budget: a fraction of the full network's MACs or parameters, with sizes on a
 * multiple of {@code multiple} channels (a group whose full size is not a multiple may also stay
 * at full size).
 *
 * @param kind     what is budgeted
 * @param fraction the allowed fraction of the full network's count, in (0, 1]
 * @param multiple sizes are multiples of this, at least 1
 */
public record Budget(Kind kind, double fraction, int multiple) {

    /** What a budget limits. */
    public enum Kind {
        /** Multiply-accumulates of one forward pass of one example. */
        MACS,
        /** Parameters of the exported plain network. */
        PARAMS
    }

    /** Validates. */
    public Budget {
        Checks.requireNonNull("Budget", "kind", kind);
        Checks.require(fraction > 0 && fraction <= 1, "Budget", "fraction must be in (0, 1], got %s.", fraction);
        Checks.requireAtLeast("Budget", "multiple", multiple, 1, "");
    }

    /**
     * A MACs budget with sizes on any channel count.
     *
     * @param fraction fraction of the full network's MACs
     * @return the budget
     */
    public static Budget macs(double fraction) {
        return new Budget(Kind.MACS, fraction, 1);
    }

    /**
     * A parameter budget with sizes on any channel count.
     *
     * @param fraction fraction of the full network's parameters
     * @return the budget
     */
    public static Budget params(double fraction) {
        return new Budget(Kind.PARAMS, fraction, 1);
    }

    /**
     * The same budget with sizes on a multiple of {@code m} channels.
     *
     * @param m the multiple, at least 1
     * @return a new budget
     */
    public Budget multipleOf(int m) {
        return new Budget(kind, fraction, m);
    }
}
