package org.integral4j.convert;

/**
 * Size and cost of a network at full size and at its current size: parameter counts and
 * multiply-accumulate operations (MACs) of one forward pass of one example (convolutions:
 * output elements times {@code in/groups * kH * kW}; dense layers: {@code in * out}).
 *
 * @param paramsFull    parameters at full size
 * @param paramsCurrent parameters at the current size
 * @param macsFull      MACs per example at full size
 * @param macsCurrent   MACs per example at the current size
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
