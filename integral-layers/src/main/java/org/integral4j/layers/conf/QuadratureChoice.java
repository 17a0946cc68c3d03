package org.integral4j.layers.conf;

/**
 * Where an integral layer multiplies its sampled weight by quadrature weights along the input
 * channel axis.
 */
public enum QuadratureChoice {
    /**
     * TorchIntegral's rule: the trapezoidal rule when the input channel axis is continuous and
     * has at least {@link org.integral4j.function.ReferenceConventions#MIN_QUADRATURE_SIZE}
     * channels (docs/ARCHITECTURE.md, "Reference conventions"). The default.
     */
    REFERENCE,
    /** The trapezoidal rule whenever the input channel axis is continuous. */
    TRAPEZOIDAL,
    /** No quadrature weights: the weight is the interpolated function itself. */
    NONE
}
