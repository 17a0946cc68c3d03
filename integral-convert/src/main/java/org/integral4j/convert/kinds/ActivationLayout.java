package org.integral4j.convert.kinds;

import java.util.OptionalInt;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The layout of the activations between two nodes, as far as channels are concerned: which axis
 * holds them. A concatenation ({@code MergeVertex}) is a channel concatenation only along that
 * axis.
 */
public enum ActivationLayout {
    /** {@code (batch, features)}: channels on axis 1. */
    FEED_FORWARD(1),
    /** {@code (batch, channels, height, width)}. */
    NCHW(1),
    /** {@code (batch, height, width, channels)} (Keras import). */
    NHWC(3),
    /** {@code (batch, channels, time)}. */
    NCW(1),
    /** {@code (batch, time, channels)}. */
    NWC(2),
    /** Not known (a view made without input types, or after an unsupported node). */
    UNKNOWN(-1);

    private final int channelAxis;

    ActivationLayout(int channelAxis) {
        this.channelAxis = channelAxis;
    }

    /** @return the axis that holds the channels, empty when the layout is unknown */
    public OptionalInt channelAxis() {
        return channelAxis < 0 ? OptionalInt.empty() : OptionalInt.of(channelAxis);
    }

    /**
     * @param format a 2-D convolution data format
     * @return NHWC or NCHW
     */
    public static ActivationLayout of(CNN2DFormat format) {
        return format == CNN2DFormat.NHWC ? NHWC : NCHW;
    }

    /**
     * @param format a recurrent (1-D convolution) data format
     * @return NWC or NCW
     */
    public static ActivationLayout of(RNNFormat format) {
        return format == RNNFormat.NWC ? NWC : NCW;
    }

    /**
     * @param type an activation type from DL4J's shape inference, or null
     * @return its layout, {@link #UNKNOWN} for null and other types
     */
    public static ActivationLayout of(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return of(c.getFormat());
        }
        if (type instanceof InputType.InputTypeFeedForward || type instanceof InputType.InputTypeConvolutionalFlat) {
            return FEED_FORWARD;
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return of(r.getFormat());
        }
        return UNKNOWN;
    }
}
