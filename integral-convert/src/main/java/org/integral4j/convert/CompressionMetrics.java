package org.integral4j.convert;

/**
 * Size and cost of a network at full size and at its current size: parameter counts and
 * multiply-accumulate operations (MACs) of one forward pass of one example, the products of
 * weights and activations as each layer's kind counts them (convolutions:
 * {@code output elements · in · kH · kW}; depthwise: {@code output elements · kH · kW}; separable:
 * {@code H·W · in·m · (kH·kW + out)}; dense: {@code in · out}; LSTM:
 * {@code T · 4·out·(in + out)}; element-wise layers, batch norms and pooling: 0). "Full" is the
 * source network, before batch norms are folded into convolutions; "current" is the plain network
 * exported at the current sizes.
 *
 * @param paramsFull    parameters of the source network
 * @param paramsCurrent parameters of the export at the current sizes
 * @param macsFull      MACs per example of the source network
 * @param macsCurrent   MACs per example of the export at the current sizes
 */
public record CompressionMetrics(long paramsFull, long paramsCurrent, long macsFull, long macsCurrent) {

    /**
     * Current parameters as a fraction of the full count.
     *
     * @return {@code paramsCurrent / paramsFull}
     */
    public double paramRatio() {
        return (double) paramsCurrent / paramsFull;
    }

    /**
     * Current MACs as a fraction of the full count.
     *
     * @return {@code macsCurrent / macsFull}
     */
    public double macRatio() {
        return macsFull == 0 ? 1.0 : (double) macsCurrent / macsFull;
    }

    @Override
    public String toString() {
        return String.format("parameters %,d -> %,d (%.1f%%), MACs %,d -> %,d (%.1f%%)", paramsFull, paramsCurrent,
                100 * paramRatio(), macsFull, macsCurrent, 100 * macRatio());
    }
}
