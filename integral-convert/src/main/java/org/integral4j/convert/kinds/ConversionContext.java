package org.integral4j.convert.kinds;

import org.integral4j.layers.conf.QuadratureChoice;
import org.integral4j.util.Checks;

/**
 * What a layer kind needs to build the integral layers of one node.
 *
 * @param node              the node's name (for messages)
 * @param inGroup           the continuous group of the input channels, or null when they are discrete
 * @param outGroup          the continuous group of the output channels, or null when they are discrete
 * @param receivesBatchNorm whether a batch norm was folded into this layer (a convolution then
 *                          needs a bias)
 * @param inBlocks          how a dense layer's inputs hold the channels of a flattened feature map
 * @param frozen            whether the source layer is frozen ({@code FrozenLayer}): the integral
 *                          layers then train only their grids
 * @param quadrature        where quadrature weights apply
 * @param lambdaScale       knots per channel of the knot tensors
 */
public record ConversionContext(String node, String inGroup, String outGroup, boolean receivesBatchNorm,
                                InputBlocks inBlocks, boolean frozen, QuadratureChoice quadrature,
                                double lambdaScale) {

    /** Checks the arguments. */
    public ConversionContext {
        Checks.requireNonNull("ConversionContext", "node", node);
        Checks.requireNonNull("ConversionContext", "inBlocks", inBlocks);
        Checks.requireNonNull("ConversionContext", "quadrature", quadrature);
    }
}
