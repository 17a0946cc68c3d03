package org.integral4j.convert.permutation;

import static org.integral4j.convert.permutation.PermutationTestSupport.assertTensorEquals;
import static org.integral4j.convert.permutation.PermutationTestSupport.axisSlice;
import static org.integral4j.convert.permutation.PermutationTestSupport.naiveGather;
import static org.integral4j.convert.permutation.PermutationTestSupport.randomTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ChannelPermutationTest {

    private static int[] randomOrder(long seed, int n) {
        Random random = new Random(seed);
        int[] order = ChannelPermutation.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Test
    void wholeAxisMatchesIndexSelectOnEveryAxis() {
        INDArray w = randomTensor(1, 5, 4, 3, 2);
        INDArray copy = w.dup();
        for (int axis = 0; axis < 4; axis++) {
            int[] order = randomOrder(axis, (int) w.size(axis));
            INDArray out = ChannelPermutation.apply(w, axis, order);
            assertTensorEquals(naiveGather(w, axis, order), out, "axis " + axis);
            assertEquals(copy, w, "input modified");
        }
        INDArray view = w.permute(3, 1, 2, 0);
        int[] order = randomOrder(7, 5);
        assertTensorEquals(naiveGather(view, 3, order), ChannelPermutation.apply(view, 3, order), "permuted view");
    }

    @Test
    void blockLeavesTheRestOfTheAxis() {
        INDArray w = randomTensor(2, 3, 10);
        ChannelSlices s = ChannelSlices.builder(w, 1).block(2, 5).build();
        int[] order = {4, 0, 3, 1, 2};
        INDArray out = ChannelPermutation.apply(s, order);
        int[] source = {0, 1, 2 + 4, 2, 2 + 3, 2 + 1, 2 + 2, 7, 8, 9};
        assertTensorEquals(naiveGather(w, 1, source), out, "block");
    }

    @Test
    void blockLengthMovesWholeBlocks() {
        int c = 4;
        int len = 3;
        INDArray dense = randomTensor(3, 2, c * len);
        int[] order = {2, 0, 3, 1};
        INDArray blocks = ChannelPermutation.apply(ChannelSlices.builder(dense, 1).blockLength(len).build(), order);
        INDArray interleaved = ChannelPermutation.apply(ChannelSlices.builder(dense, 1).blockLength(len)
                .flattenOrder(ChannelSlices.FlattenOrder.INTERLEAVED).build(), order);
        for (int k = 0; k < c; k++) {
            for (int p = 0; p < len; p++) {
                assertEquals(axisSlice(dense, 1, order[k] * len + p), axisSlice(blocks, 1, k * len + p));
                assertEquals(axisSlice(dense, 1, p * c + order[k]), axisSlice(interleaved, 1, p * c + k));
            }
        }
    }

    /**
     * Permuting a conv's out-channels and the matching rows of a dense layer after a flatten leaves
     * the dense output unchanged, for both flatten orders.
     */
    @Test
    void flattenedConsumerKeepsTheNetworkFunction() {
        int c = 5;
        int h = 2;
        int w = 3;
        int[] order = randomOrder(9, c);
        INDArray fmap = randomTensor(4, c, h, w);
        INDArray permutedFmap = ChannelPermutation.apply(fmap, 0, order);
        INDArray dense = randomTensor(5, 7, c * h * w);

        INDArray flatChw = fmap.reshape('c', 1, c * h * w);
        INDArray permutedChw = permutedFmap.reshape('c', 1, c * h * w);
        INDArray denseChw = ChannelPermutation.apply(ChannelSlices.builder(dense, 1).blockLength(h * w).build(), order);
        assertTrue(dense.mmul(flatChw.transpose()).equalsWithEps(denseChw.mmul(permutedChw.transpose()), 1e-5));

        INDArray flatHwc = fmap.permute(1, 2, 0).dup('c').reshape('c', 1, c * h * w);
        INDArray permutedHwc = permutedFmap.permute(1, 2, 0).dup('c').reshape('c', 1, c * h * w);
        INDArray denseHwc = ChannelPermutation.apply(ChannelSlices.builder(dense, 1).blockLength(h * w)
                .flattenOrder(ChannelSlices.FlattenOrder.INTERLEAVED).build(), order);
        assertTrue(dense.mmul(flatHwc.transpose()).equalsWithEps(denseHwc.mmul(permutedHwc.transpose()), 1e-5));
    }

    @Test
    void inverseUndoesAndIdentityCopies() {
        INDArray w = randomTensor(6, 6, 4, 3, 3).castTo(DataType.DOUBLE);
        int[] order = randomOrder(3, 6);
        INDArray there = ChannelPermutation.apply(w, 0, order);
        assertEquals(DataType.DOUBLE, there.dataType());
        assertEquals(w, ChannelPermutation.apply(there, 0, ChannelPermutation.inverse(order)));
        INDArray same = ChannelPermutation.apply(w, 0, ChannelPermutation.identity(6));
        assertNotSame(w, same);
        assertEquals(w, same);
        assertArrayEquals(new int[] {1, 2, 0}, ChannelPermutation.inverse(new int[] {2, 0, 1}));
    }

    @Test
    void totalVariationOfOrderEqualsThatOfPermutedTensors() {
        INDArray conv = randomTensor(7, 8, 3, 3, 3);
        INDArray dense = randomTensor(8, 4, 8 * 4);
        List<ChannelSlices> group = List.of(ChannelSlices.of(conv, 0), ChannelSlices.builder(dense, 1).blockLength(4).build());
        int[] order = randomOrder(5, 8);
        List<ChannelSlices> permuted = List.of(
                ChannelSlices.of(ChannelPermutation.apply(group.get(0), order), 0),
                ChannelSlices.builder(ChannelPermutation.apply(group.get(1), order), 1).blockLength(4).build());
        assertEquals(TotalVariation.of(permuted), TotalVariation.of(group, order), 1e-6);
        assertEquals(0.0, TotalVariation.of(List.of(ChannelSlices.of(randomTensor(9, 1, 5), 0))), 0.0);
    }

    @Test
    void largeAndNonFloatTensorsUseTheNativeGather() {
        INDArray big = randomTensor(11, 1030, 1024);
        assertTrue(big.length() > ChannelPermutation.JAVA_GATHER_MAX_LENGTH);
        int[] order = randomOrder(12, 1024);
        INDArray nativeOut = ChannelPermutation.apply(big, 1, order);
        assertTensorEquals(ChannelPermutation.gatherOnHeap(big, 1, order), nativeOut, "native vs on-heap gather");

        INDArray ints = randomTensor(13, 6, 5).mul(100).castTo(DataType.INT32);
        int[] order6 = randomOrder(14, 6);
        INDArray out = ChannelPermutation.apply(ints, 0, order6);
        assertEquals(DataType.INT32, out.dataType());
        assertEquals(naiveGather(ints, 0, order6), out);
    }

    @Test
    void rejectsBadOrders() {
        INDArray w = randomTensor(10, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelPermutation.apply(w, 0, new int[] {0, 1, 2}));
        assertTrue(e.getMessage().contains("order has length 3, expected 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelPermutation.apply(w, 0, new int[] {0, 1, 1, 2}));
        assertTrue(e.getMessage().contains("channel 1 appears twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChannelPermutation.apply(w, 0, new int[] {0, 1, 4, 2}));
        assertTrue(e.getMessage().contains("order[2] = 4 is out of range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelPermutation.apply(w, 2, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> ChannelPermutation.apply(w, 0, null));
        assertThrows(IllegalArgumentException.class, () -> TotalVariation.of(List.of(ChannelSlices.of(w, 0)), new int[] {0, 0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ChannelPermutation.inverse(new int[] {1, 1}));
    }
}
