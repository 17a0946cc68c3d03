package org.integral4j.convert.calibration;

/**
 * One layer of a resized plain network as calibration sees it: where it is, what it is, and the
 * channel groups of its axes.
 *
 * @param id              the layer's node name ({@link org.integral4j.convert.network.Dl4jNetwork}),
 *                        the same in the full and the resized network
 * @param kind            what the layer is
 * @param inGroup         the channel group of its input axis, or null when discrete
 * @param outGroup        the channel group of its output axis, or null when discrete
 * @param foldedBatchNorm whether a batch norm was folded into this convolution
 */
public record LayerLink(String id, Kind kind, String inGroup, String outGroup, boolean foldedBatchNorm) {

    /** What calibration can do with a layer. */
    public enum Kind {
        /** {@code ConvolutionLayer} (2-D, not grouped): reconstruction and affine correction. */
        CONV2D,
        /** {@code DenseLayer} or {@code OutputLayer}: reconstruction. */
        DENSE,
        /** {@code BatchNormalization}: statistics re-estimated. */
        BATCH_NORM,
        /** Other layers with parameters on resized axes (1-D and depthwise convolutions): left as resampled. */
        OTHER
    }
}
