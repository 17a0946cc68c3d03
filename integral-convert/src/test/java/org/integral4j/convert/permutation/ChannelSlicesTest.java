package org.integral4j.convert.permutation;

import static org.integral4j.convert.permutation.PermutationTestSupport.randomTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ChannelSlicesTest {

    private static void assertRejected(String expectedFragment, ChannelSlices.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expectedFragment), "message: " + e.getMessage());
    }

    @Test
    void defaultsCoverTheWholeAxis() {
        INDArray w = randomTensor(1, 8, 4, 3, 3);
        ChannelSlices s = ChannelSlices.of(w, 1);
        assertEquals(4, s.channels());
        assertEquals(0, s.start());
        assertEquals(4, s.end());
        assertEquals(1, s.blockLength());
        assertEquals(8 * 3 * 3, s.rowLength());
        assertEquals(2, s.axisIndex(2, 0));
        assertTrue(s.toString().contains("axis=1"));
    }

    @Test
    void mapsChannelsAndPositionsToAxisIndices() {
        INDArray dense = randomTensor(2, 3, 40);
        ChannelSlices blocks = ChannelSlices.builder(dense, 1).block(4, 6).blockLength(5).build();
        assertEquals(34, blocks.end());
        assertEquals(4 + 2 * 5 + 3, blocks.axisIndex(2, 3));
        assertEquals(3 * 5, blocks.rowLength());
        ChannelSlices interleaved = ChannelSlices.builder(dense, 1).block(4, 6).blockLength(5)
                .flattenOrder(ChannelSlices.FlattenOrder.INTERLEAVED).build();
        assertEquals(4 + 3 * 6 + 2, interleaved.axisIndex(2, 3));
        ChannelSlices fromStart = ChannelSlices.builder(dense, 1).start(10).blockLength(6).build();
        assertEquals(5, fromStart.channels());
    }

    @Test
    void rejectsBadAxesAndBlocks() {
        INDArray w = randomTensor(3, 8, 4, 3, 3);
        assertRejected("axis must be in [0, 4) for a tensor of shape [8, 4, 3, 3], got 4", ChannelSlices.builder(w, 4));
        assertRejected("got -1", ChannelSlices.builder(w, -1));
        assertRejected("block [2, 6) (4 channels x blockLength 1) does not fit axis 1 of length 4",
                ChannelSlices.builder(w, 1).block(2, 4));
        assertRejected("block start must be in [0, 8)", ChannelSlices.builder(w, 0).block(8, 1));
        assertRejected("block start must be in [0, 8)", ChannelSlices.builder(w, 0).block(-1, 1));
        assertRejected("number of channels must be at least 1, got 0", ChannelSlices.builder(w, 0).block(0, 0));
        assertRejected("expected a multiple of blockLength 3", ChannelSlices.builder(w, 0).blockLength(3));
        assertRejected("blockLength (axis indices per channel) must be at least 1, got 0",
                ChannelSlices.builder(w, 0).blockLength(0));
        assertRejected("conv1.W: axis must be", ChannelSlices.builder(w, 9).name("conv1.W"));
        assertRejected("tensor must not be null", ChannelSlices.builder(null, 0));
        assertRejected("flattenOrder must not be null", ChannelSlices.builder(w, 0).flattenOrder(null));
    }
}
