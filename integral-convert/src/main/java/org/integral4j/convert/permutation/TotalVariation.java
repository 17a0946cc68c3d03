package org.integral4j.convert.permutation;

import java.util.List;

/**
 * Total variation of a channel group along its channel axis, TorchIntegral's smoothness measure
 * ({@code permutation.total_variance}):
 * <pre>
 *   TV = Σ_t mean_{c, k} |row_t(order[c+1])[k] - row_t(order[c])[k]|,   c in [0, C-1), k in [0, m_t)
 * </pre>
 * summed over the tensors {@code t} of the group, with channel rows {@code row_t(c)} of {@code m_t}
 * values as defined by {@link ChannelSlices}. For a whole axis with one index per channel and the
 * identity order this is the reference's {@code mean(|t'[1:] - t'[:-1]|)} with
 * {@code t' = t.transpose(axis, 0)}. A group of one channel has {@code TV = 0}. With
 * {@link DistanceMatrix#fromSlices(List)}, {@code TV(order) = pathLength(order) / (C - 1)}.
 */
public final class TotalVariation {

    private TotalVariation() {
    }

    /**
     * Total variation in the current channel order.
     *
     * @param group the slices of one channel group (not modified)
     * @return TV, {@code >= 0}
     * @throws IllegalArgumentException when the group is invalid (see {@link DistanceMatrix#fromSlices})
     */
    public static double of(List<ChannelSlices> group) {
        int n = DistanceMatrix.requireGroup(group, "TotalVariation.of");
        return compute(group, ChannelPermutation.identity(n));
    }

    /**
     * Total variation after reordering the channels: new channel {@code k} is old channel
     * {@code order[k]}. Equals {@code of(...)} of the permuted tensors, without building them.
     *
     * @param group the slices of one channel group (not modified)
     * @param order a permutation of {@code [0, C)} (not modified)
     * @return TV, {@code >= 0}
     * @throws IllegalArgumentException when the group is invalid or order is not a permutation of
     *                                  {@code [0, C)}
     */
    public static double of(List<ChannelSlices> group, int[] order) {
        int n = DistanceMatrix.requireGroup(group, "TotalVariation.of");
        ChannelPermutation.requirePermutation("TotalVariation.of", order, n);
        return compute(group, order);
    }

    private static double compute(List<ChannelSlices> group, int[] order) {
        int n = order.length;
        if (n < 2) {
            return 0.0;
        }
        double total = 0;
        final int chunkSize = 256;
        float[][] chunk = new float[chunkSize][n];
        for (ChannelSlices s : group) {
            ChannelRowReader reader = new ChannelRowReader(s);
            int m = reader.features();
            double sum = 0;
            for (int k0 = 0; k0 < m; k0 += chunkSize) {
                int rows = Math.min(chunkSize, m - k0);
                reader.read(k0, k0 + rows, chunk);
                for (int k = 0; k < rows; k++) {
                    float[] f = chunk[k];
                    double rowSum = 0;
                    float prev = f[order[0]];
                    for (int c = 1; c < n; c++) {
                        float cur = f[order[c]];
                        rowSum += Math.abs(cur - prev);
                        prev = cur;
                    }
                    sum += rowSum;
                }
            }
            total += sum / ((double) (n - 1) * m);
        }
        return total;
    }
}
