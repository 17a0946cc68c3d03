package org.integral4j.convert;

import java.util.Arrays;

/**
 * A source network whose parameters hold NaN or infinite values. {@link IntegralWrapper} checks
 * every parameter of every layer before any other conversion step: the analysis, batch-norm
 * folding, the channel-ordering search and the right inverse all assume finite weights, and a
 * model with non-finite weights (typically a training run that diverged) computes nothing useful.
 * The message names the first such layer and parameter, how many values are affected and where
 * the first one is.
 */
public final class NonFiniteParameterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String parameter;
    private final long nanCount;
    private final long infiniteCount;

    /**
     * @param layer         the layer (node) name
     * @param parameter     the DL4J parameter key, e.g. {@code "W"}
     * @param shape         the parameter's shape
     * @param nanCount      how many values are NaN
     * @param infiniteCount how many values are +-Infinity
     * @param firstIndex    flat ('c' order) index of the first non-finite value
     */
    NonFiniteParameterException(String layer, String parameter, long[] shape, long nanCount, long infiniteCount,
                                long firstIndex) {
        super(String.format("layer '%s', parameter '%s' (shape %s) is not finite: %d NaN and %d infinite value(s),"
                        + " the first at flat index %d. Conversion needs finite weights: the model probably diverged"
                        + " during training; use an earlier checkpoint or retrain with a smaller learning rate.",
                layer, parameter, Arrays.toString(shape), nanCount, infiniteCount, firstIndex));
        this.layer = layer;
        this.parameter = parameter;
        this.nanCount = nanCount;
        this.infiniteCount = infiniteCount;
    }

    /** @return the name of the layer holding the non-finite values */
    public String layer() {
        return layer;
    }

    /** @return the DL4J parameter key, e.g. {@code "W"} or {@code "b"} */
    public String parameter() {
        return parameter;
    }

    /** @return how many values of the parameter are NaN */
    public long nanCount() {
        return nanCount;
    }

    /** @return how many values of the parameter are positive or negative infinity */
    public long infiniteCount() {
        return infiniteCount;
    }
}
