package org.integral4j.layers.conf;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.integral4j.util.Checks;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Flattens {@code (batch, channels*, h, w)} (NCHW) or {@code (batch, h, w, channels*)} (NHWC)
 * activations to {@code (batch, features)} in row-major order, like DL4J's
 * {@code CnnToFeedForwardPreProcessor} but for any channel count: DL4J's checks the channel count
 * against its configuration and rejects a resized group. Height and width stay fixed.
 */
public class IntegralFlattenPreProcessor implements InputPreProcessor {

    private static final long serialVersionUID = 1L;

    private long inputHeight;
    private long inputWidth;
    private CNN2DFormat format = CNN2DFormat.NCHW;

    /** For JSON deserialisation. */
    public IntegralFlattenPreProcessor() {
    }

    /**
     * Creates the preprocessor.
     *
     * @param inputHeight height
     * @param inputWidth  width
     * @param format      layout of the activations
     */
    public IntegralFlattenPreProcessor(long inputHeight, long inputWidth, CNN2DFormat format) {
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
        this.format = format;
    }

    private long channelsOf(INDArray input) {
        return format == CNN2DFormat.NCHW ? input.size(1) : input.size(3);
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() == 2) {
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
        }
        Checks.require(input.rank() == 4, "IntegralFlattenPreProcessor", "expected rank-4 input (%s), got shape %s.",
                format, Arrays.toString(input.shape()));
        long h = format == CNN2DFormat.NCHW ? input.size(2) : input.size(1);
        long w = format == CNN2DFormat.NCHW ? input.size(3) : input.size(2);
        Checks.require(h == inputHeight && w == inputWidth, "IntegralFlattenPreProcessor",
                "expected height x width %dx%d, got %dx%d (shape %s, %s). Only the channel count may change.",
                inputHeight, inputWidth, h, w, Arrays.toString(input.shape()), format);
        if (input.ordering() != 'c' || !Shape.hasDefaultStridesForShape(input)) {
            input = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        }
        INDArray flat = input.reshape('c', input.size(0), channelsOf(input) * h * w);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, flat);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (output.ordering() != 'c' || !Shape.hasDefaultStridesForShape(output)) {
            output = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output, 'c');
        }
        long c = output.size(1) / (inputHeight * inputWidth);
        INDArray shaped = format == CNN2DFormat.NCHW
                ? output.reshape('c', output.size(0), c, inputHeight, inputWidth)
                : output.reshape('c', output.size(0), inputHeight, inputWidth, c);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, shaped);
    }

    @Override
    public InputPreProcessor clone() {
        return new IntegralFlattenPreProcessor(inputHeight, inputWidth, format);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        Checks.require(inputType instanceof InputType.InputTypeConvolutional, "IntegralFlattenPreProcessor",
                "expected a convolutional input type, got %s.", inputType);
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        return InputType.feedForward(c.getChannels() * c.getHeight() * c.getWidth());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    /**
     * Height.
     *
     * @return the height
     */
    public long getInputHeight() {
        return inputHeight;
    }

    /**
     * Sets the height.
     *
     * @param inputHeight the height
     */
    public void setInputHeight(long inputHeight) {
        this.inputHeight = inputHeight;
    }

    /**
     * Width.
     *
     * @return the width
     */
    public long getInputWidth() {
        return inputWidth;
    }

    /**
     * Sets the width.
     *
     * @param inputWidth the width
     */
    public void setInputWidth(long inputWidth) {
        this.inputWidth = inputWidth;
    }

    /**
     * Layout of the activations.
     *
     * @return the format
     */
    public CNN2DFormat getFormat() {
        return format;
    }

    /**
     * Sets the layout.
     *
     * @param format the format
     */
    public void setFormat(CNN2DFormat format) {
        this.format = format;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegralFlattenPreProcessor p && p.inputHeight == inputHeight && p.inputWidth == inputWidth
                && p.format == format;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputHeight, inputWidth, format);
    }

    @Override
    public String toString() {
        return "IntegralFlattenPreProcessor(" + inputHeight + "x" + inputWidth + ", " + format + ")";
    }
}
