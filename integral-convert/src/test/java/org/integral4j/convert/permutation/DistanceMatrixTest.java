package org.integral4j.convert.permutation;

import static org.integral4j.convert.permutation.PermutationTestSupport.assertMatrixClose;
import static org.integral4j.convert.permutation.PermutationTestSupport.naiveDistances;
import static org.integral4j.convert.permutation.PermutationTestSupport.randomTensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DistanceMatrixTest {

    private static void assertMatchesNaive(List<ChannelSlices> group) {
        DistanceMatrix d = DistanceMatrix.fromSlices(group);
        assertMatrixClose(naiveDistances(group), d.toArray(), 1e-5, 1e-7, group.toString());
        for (int i = 0; i < d.size(); i++) {
            assertEquals(0.0, d.get(i, i), 0.0);
            for (int j = 0; j < d.size(); j++) {
                assertEquals(d.get(i, j), d.get(j, i), 0.0);
            }
        }
    }

    @Test
    void matchesNaiveDefinitionOnEveryAxis() {
        INDArray w = randomTensor(1, 6, 5, 3, 2);
        for (int axis = 0; axis < 4; axis++) {
            assertMatchesNaive(List.of(ChannelSlices.of(w, axis)));
        }
        INDArray dense = randomTensor(2, 7, 9);
        assertMatchesNaive(List.of(ChannelSlices.of(dense, 0)));
        assertMatchesNaive(List.of(ChannelSlices.of(dense, 1)));
        assertMatchesNaive(List.of(ChannelSlices.of(randomTensor(3, 11), 0)));
    }

    @Test
    void matchesNaiveDefinitionForGroupsBlocksAndFlattenOrders() {
        INDArray conv = randomTensor(4, 6, 3, 3, 3);
        INDArray next = randomTensor(5, 4, 6, 3, 3);
        assertMatchesNaive(List.of(ChannelSlices.of(conv, 0), ChannelSlices.of(next, 1)));

        INDArray concat = randomTensor(6, 5, 10, 2, 2);
        assertMatchesNaive(List.of(ChannelSlices.builder(concat, 1).block(3, 6).build(), ChannelSlices.of(conv, 0)));

        // Dense after a flatten of [C=6, h=2, w=2]: 24 inputs, 4 per channel.
        INDArray dense = randomTensor(7, 5, 24);
        assertMatchesNaive(List.of(ChannelSlices.builder(dense, 1).blockLength(4).build(), ChannelSlices.of(conv, 0)));
        assertMatchesNaive(List.of(ChannelSlices.builder(dense, 1).blockLength(4)
                .flattenOrder(ChannelSlices.FlattenOrder.INTERLEAVED).build()));
        INDArray denseWithPrefix = randomTensor(8, 3, 30);
        assertMatchesNaive(List.of(ChannelSlices.builder(denseWithPrefix, 1).block(6, 6).blockLength(4)
                .flattenOrder(ChannelSlices.FlattenOrder.INTERLEAVED).build()));
    }

    @Test
    void readsViewsFortranOrderAndDoubles() {
        INDArray base = randomTensor(9, 8, 12);
        INDArray view = base.get(NDArrayIndex.interval(1, 7), NDArrayIndex.interval(2, 12));
        assertTrue(view.isView());
        assertMatchesNaive(List.of(ChannelSlices.of(view, 0)));
        assertMatchesNaive(List.of(ChannelSlices.of(base.transpose(), 1)));
        assertMatchesNaive(List.of(ChannelSlices.of(base.dup('f'), 1)));
        assertMatchesNaive(List.of(ChannelSlices.of(base.castTo(DataType.DOUBLE), 0)));
        INDArray permuted = randomTensor(15, 5, 4, 3, 2).permute(3, 1, 2, 0);
        assertMatchesNaive(List.of(ChannelSlices.of(permuted, 3), ChannelSlices.of(permuted.dup('c'), 3)));
        assertMatchesNaive(List.of(ChannelSlices.of(permuted, 1)));
    }

    @Test
    void parallelKernelMatchesPlainJava() {
        // Large enough for the multi-threaded path; m = 130 is not a multiple of the feature chunk or of 4.
        int n = 300;
        int m = 130;
        INDArray w = randomTensor(10, n, m);
        INDArray w2 = randomTensor(11, 3, n);
        float[] a = w.data().asFloat();
        float[] b = w2.data().asFloat();
        double[][] expected = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += Math.abs(a[i * m + k] - a[j * m + k]);
                }
                double s2 = 0;
                for (int k = 0; k < 3; k++) {
                    s2 += Math.abs(b[k * n + i] - b[k * n + j]);
                }
                expected[i][j] = s / m + s2 / 3;
            }
        }
        DistanceMatrix d = DistanceMatrix.fromSlices(List.of(ChannelSlices.of(w, 0), ChannelSlices.of(w2, 1)));
        assertMatrixClose(expected, d.toArray(), 1e-5, 1e-7, "n=300 group");
    }

    @Test
    void pathLengthIsTotalVariationTimesEdges() {
        INDArray conv = randomTensor(12, 9, 4, 3, 3);
        INDArray next = randomTensor(13, 2, 9, 3, 3);
        List<ChannelSlices> group = List.of(ChannelSlices.of(conv, 0), ChannelSlices.of(next, 1));
        DistanceMatrix d = DistanceMatrix.fromSlices(group);
        int[] order = {3, 1, 4, 0, 8, 5, 2, 7, 6};
        assertEquals(d.pathLength(order) / 8, TotalVariation.of(group, order), 1e-6);
        assertEquals(d.pathLength(ChannelPermutation.identity(9)) / 8, TotalVariation.of(group), 1e-6);
    }

    @Test
    void ofCopiesAndValidates() {
        double[][] m = {{0, 1, 2}, {1, 0, 3}, {2, 3, 0}};
        DistanceMatrix d = DistanceMatrix.of(m);
        m[0][1] = 100;
        assertEquals(1.0, d.get(0, 1), 0.0);
        assertEquals(4.0, d.pathLength(new int[] {0, 1, 2}), 0.0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrix.of(new double[][] {{0, 1, 2}, {1, 0}, {2, 3, 0}}));
        assertTrue(e.getMessage().contains("row 1 has length 2, expected 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrix.of(new double[][] {{0, Double.NaN}, {Double.NaN, 0}}));
        assertTrue(e.getMessage().contains("[0][1] = NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrix.of(new double[][] {{0, -1}, {-1, 0}}));
        assertTrue(e.getMessage().contains("expected a finite distance >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrix.of(new double[][] {{0, 1}, {2, 0}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.of(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.of(null));
        assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.of(new double[][] {{0, 1}, null}));
        e = assertThrows(IllegalArgumentException.class, () -> d.pathLength(new int[] {0, 3}));
        assertTrue(e.getMessage().contains("route[1] = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.get(0, 3));
    }

    @Test
    void rejectsMismatchedAndEmptyGroups() {
        ChannelSlices four = ChannelSlices.builder(randomTensor(14, 4, 3), 0).name("conv1.W").build();
        ChannelSlices five = ChannelSlices.builder(randomTensor(15, 2, 5), 1).name("conv2.W").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistanceMatrix.fromSlices(List.of(four, five)));
        assertTrue(e.getMessage().contains("conv1.W") && e.getMessage().contains("has 4")
                && e.getMessage().contains("conv2.W") && e.getMessage().contains("has 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.fromSlices(Collections.emptyList()));
        assertTrue(e.getMessage().contains("no slices"), e.getMessage());
        List<ChannelSlices> withNull = new ArrayList<>();
        withNull.add(four);
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> DistanceMatrix.fromSlices(withNull));
        assertThrows(IllegalArgumentException.class, () -> TotalVariation.of(List.of(four, five)));
    }
}
