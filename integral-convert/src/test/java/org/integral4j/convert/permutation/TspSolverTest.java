package org.integral4j.convert.permutation;

import static org.integral4j.convert.permutation.PermutationTestSupport.bruteForceShortestPath;
import static org.integral4j.convert.permutation.PermutationTestSupport.isPermutation;
import static org.integral4j.convert.permutation.PermutationTestSupport.randomEuclideanLike;
import static org.integral4j.convert.permutation.PermutationTestSupport.randomSymmetric;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TspSolverTest {

    private static double[][] instance(long seed, int n) {
        return seed % 2 == 0 ? randomSymmetric(seed, n) : randomEuclideanLike(seed, n);
    }

    @Test
    void exactSolverFindsTheOptimumOfSmallInstances() {
        TspSolver solver = TspSolver.defaults();
        for (int n = 1; n <= 8; n++) {
            for (long seed = 0; seed < 6; seed++) {
                double[][] d = instance(seed * 31 + n, n);
                TspResult r = solver.solve(DistanceMatrix.of(d));
                assertTrue(isPermutation(r.order(), n), Arrays.toString(r.order()));
                assertTrue(r.exact());
                assertEquals(bruteForceShortestPath(d), r.lengthAfter(), 1e-12, "n=" + n + " seed=" + seed);
            }
        }
    }

    @Test
    void heldKarpMatchesBruteForceOnNineCities() {
        double[][] d = randomSymmetric(99, 9);
        DistanceMatrix m = DistanceMatrix.of(d);
        int[] path = TspSolver.heldKarp(m.raw(), 9);
        assertEquals(bruteForceShortestPath(d), m.pathLength(path), 1e-12);
    }

    @Test
    void localSearchFindsTheOptimumOfSmallInstances() {
        TspSolver solver = TspSolver.builder().optExactUpTo(0).build();
        for (int n = 4; n <= 8; n++) {
            for (long seed = 0; seed < 20; seed++) {
                double[][] d = instance(seed * 17 + n, n);
                TspResult r = solver.solve(DistanceMatrix.of(d));
                assertTrue(isPermutation(r.order(), n));
                assertTrue(!r.exact());
                assertEquals(bruteForceShortestPath(d), r.lengthAfter(), 1e-12, "n=" + n + " seed=" + seed);
            }
        }
    }

    @Test
    void neverWorseThanIdentityAndLengthsAreRecomputed() {
        TspSolver solver = TspSolver.builder().optRestarts(1).optPerturbations(200).build();
        for (int n : new int[] {2, 3, 5, 13, 40, 150}) {
            for (long seed = 0; seed < 3; seed++) {
                DistanceMatrix m = DistanceMatrix.of(instance(seed + 7L * n, n));
                TspResult r = solver.solve(m);
                int[] order = r.order();
                assertTrue(isPermutation(order, n));
                assertEquals(m.pathLength(ChannelPermutation.identity(n)), r.lengthBefore(), 0.0);
                assertEquals(m.pathLength(order), r.lengthAfter(), 0.0);
                assertTrue(r.lengthAfter() <= r.lengthBefore(), r.toString());
            }
        }
    }

    @Test
    void returnsIdentityWhenNothingBeatsIt() {
        int n = 30;
        double[][] line = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                line[i][j] = Math.abs(i - j);
            }
        }
        TspResult r = TspSolver.builder().optExactUpTo(0).build().solve(DistanceMatrix.of(line));
        assertTrue(r.isIdentity(), Arrays.toString(r.order()));
        assertEquals(r.lengthBefore(), r.lengthAfter(), 0.0);

        double[][] constant = new double[n][n];
        for (double[] row : constant) {
            Arrays.fill(row, 1.0);
        }
        assertTrue(TspSolver.defaults().solve(DistanceMatrix.of(constant)).isIdentity());
    }

    @Test
    void movesTheFirstAndLastCities() {
        // Cities on a line; the identity path is optimal except for its first two and last two cities.
        int n = 10;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        x[0] = 1;
        x[1] = 0;
        x[n - 2] = n - 1;
        x[n - 1] = n - 2;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = Math.abs(x[i] - x[j]);
            }
        }
        TspResult r = TspSolver.builder().optExactUpTo(0).optRestarts(0).optPerturbations(0).build()
                .solve(DistanceMatrix.of(d));
        assertEquals(n - 1, r.lengthAfter(), 1e-12);
        assertArrayEquals(new int[] {1, 0, 2, 3, 4, 5, 6, 7, 9, 8}, r.order());
    }

    @Test
    void deterministicForAFixedSeed() {
        DistanceMatrix m = DistanceMatrix.of(randomEuclideanLike(5, 120));
        TspSolver solver = TspSolver.builder().optSeed(123).optPerturbations(300).optTimeLimit(Duration.ofMinutes(1)).build();
        TspResult a = solver.solve(m);
        TspResult b = solver.solve(m);
        assertTrue(!a.timeLimitReached());
        assertArrayEquals(a.order(), b.order());
        assertEquals(a.lengthAfter(), b.lengthAfter(), 0.0);
        assertEquals(solver.toString(), solver.toBuilder().build().toString());
    }

    @Test
    void respectsTheTimeLimit() {
        int n = 1500;
        DistanceMatrix m = DistanceMatrix.of(randomSymmetric(3, n));
        Duration limit = Duration.ofMillis(30);
        TspSolver solver = TspSolver.builder().optTimeLimit(limit).optRestarts(1_000_000)
                .optPerturbations(Integer.MAX_VALUE).build();
        long t0 = System.nanoTime();
        TspResult r = solver.solve(m);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(r.timeLimitReached());
        assertTrue(isPermutation(r.order(), n));
        assertTrue(r.lengthAfter() <= r.lengthBefore());
        // Generous slack: only the candidate lists and one local-search step run past the limit.
        assertTrue(elapsedMs < limit.toMillis() + 3000, "took " + elapsedMs + " ms");
    }

    @Test
    void trackedLengthEqualsRecomputedLength() {
        int n = 60;
        DistanceMatrix m = DistanceMatrix.of(randomSymmetric(11, n));
        int k = 8;
        PathSearch search = new PathSearch(m.raw(), n, PathSearch.nearestNeighbours(m.raw(), n, k), k,
                System.nanoTime() + Duration.ofMinutes(1).toNanos());
        SplittableRandom random = new SplittableRandom(1);
        int[] start = ChannelPermutation.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = start[i];
            start[i] = start[j];
            start[j] = t;
        }
        search.load(start);
        assertEquals(m.pathLength(start), search.length(), 1e-12);
        search.optimizeAll();
        assertTracked(m, search);
        for (int kick = 0; kick < 300; kick++) {
            search.kick(random);
            assertTracked(m, search);
            search.optimizeQueued();
            assertTracked(m, search);
        }
    }

    private static void assertTracked(DistanceMatrix m, PathSearch search) {
        int[] path = search.path();
        assertTrue(isPermutation(path, m.size()));
        assertEquals(m.pathLength(path), search.length(), 1e-9);
    }

    @Test
    void nearestNeighboursAreSortedAndExcludeSelf() {
        int n = 20;
        DistanceMatrix m = DistanceMatrix.of(randomSymmetric(4, n));
        int k = 5;
        int[] nb = PathSearch.nearestNeighbours(m.raw(), n, k);
        for (int i = 0; i < n; i++) {
            double kth = m.get(i, nb[i * k + k - 1]);
            for (int r = 0; r < k; r++) {
                assertTrue(nb[i * k + r] != i);
                if (r > 0) {
                    assertTrue(m.get(i, nb[i * k + r - 1]) <= m.get(i, nb[i * k + r]));
                }
            }
            int closer = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && m.get(i, j) < kth) {
                    closer++;
                }
            }
            assertTrue(closer < k);
        }
    }

    @Test
    void builderRejectsBadOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TspSolver.builder().optRestarts(-1).build());
        assertTrue(e.getMessage().contains("restarts must be >= 0, got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TspSolver.builder().optTimeLimit(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("timeLimit must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TspSolver.builder().optExactUpTo(17).build());
        assertTrue(e.getMessage().contains("[0, 16], got 17"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TspSolver.builder().optNeighbours(0).build());
        assertTrue(e.getMessage().contains("neighbours must be at least 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TspSolver.builder().optPerturbations(-5).build());
        assertThrows(IllegalArgumentException.class, () -> TspSolver.builder().optTimeLimit(null).build());
        assertThrows(IllegalArgumentException.class, () -> TspSolver.defaults().solve((DistanceMatrix) null));
    }

    @Test
    void toStringShowsTheWholeConfiguration() {
        String s = TspSolver.defaults().toString();
        for (String key : new String[] {"seed=42", "restarts=", "perturbations=", "timeLimit=", "neighbours=", "exactUpTo="}) {
            assertTrue(s.contains(key), s);
        }
    }
}
