package org.integral4j.convert.permutation;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open-path travelling-salesman solver for channel ordering: finds a permutation {@code order} of
 * the {@code n} channels that minimises {@code L(order) = Σ_{k<n-1} D[order[k]][order[k+1]]} (no
 * return edge). With the distance of {@link DistanceMatrix#fromSlices(List)}, minimising L
 * minimises the group's {@link TotalVariation total variation}, {@code TV = L / (n - 1)}.
 *
 * <p>Algorithm (an iterated local search; the reference's 2-opt defects listed in docs/ARCHITECTURE.md,
 * "Deliberately not followed", are not reproduced):
 * <ol>
 *   <li>{@code n <= exactUpTo}: exact Held–Karp dynamic programming, O(2ⁿ·n²).</li>
 *   <li>Otherwise, from each start — the identity order first, then {@code restarts} more,
 *       alternating a nearest-neighbour path from a random city and a random order — run 2-opt and
 *       Or-opt (segments of 1 to 3 channels, either way round) to a local optimum, using
 *       {@code neighbours}-nearest-neighbour candidate lists, don't-look bits and O(1) move deltas
 *       (an open path is a tour through one extra dummy city at distance 0, so reversing a prefix
 *       or suffix changes one edge). Then {@code perturbations} times: exchange two short adjacent
 *       segments at random, re-optimise the touched cities, keep the result if shorter; a start
 *       ends early after {@code max(100, 4n)} perturbations in a row without improvement.</li>
 *   <li>The best path wins; if it is not strictly shorter than the identity, the identity is
 *       returned, so the result is never worse than the current order.</li>
 * </ol>
 * Starts stop when {@code timeLimit} is spent; the best path found so far is returned. Results are
 * deterministic for a fixed configuration as long as the time limit is not reached. Immutable and
 * thread-safe: {@link #solve} keeps its state on the stack.
 */
public final class TspSolver {

    /** Default random seed. */
    public static final long DEFAULT_SEED = 42L;
    /** Default number of starts after the identity start. */
    public static final int DEFAULT_RESTARTS = 3;
    /** Default number of perturbations per start. */
    public static final int DEFAULT_PERTURBATIONS = 5000;
    /** Default wall-clock budget of one solve. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(2);
    /** Default length of each city's candidate (nearest-neighbour) list. */
    public static final int DEFAULT_NEIGHBOURS = 10;
    /** Default size up to which instances are solved exactly. */
    public static final int DEFAULT_EXACT_UP_TO = 10;
    /** Largest allowed {@code exactUpTo}: Held–Karp needs 2ⁿ·n doubles. */
    public static final int MAX_EXACT_UP_TO = 16;

    /**
     * A start ends early after {@code max(MIN_STALL_PERTURBATIONS, STALL_PERTURBATIONS_PER_CITY · n)}
     * perturbations in a row that found nothing shorter.
     */
    public static final int STALL_PERTURBATIONS_PER_CITY = 4;
    /** See {@link #STALL_PERTURBATIONS_PER_CITY}. */
    public static final int MIN_STALL_PERTURBATIONS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(TspSolver.class);

    private final long seed;
    private final int restarts;
    private final int perturbations;
    private final Duration timeLimit;
    private final int neighbours;
    private final int exactUpTo;

    private TspSolver(Builder b) {
        this.seed = b.seed;
        this.restarts = b.restarts;
        this.perturbations = b.perturbations;
        this.timeLimit = b.timeLimit;
        this.neighbours = b.neighbours;
        this.exactUpTo = b.exactUpTo;
    }

    /** @return a solver with every default */
    public static TspSolver defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        return new Builder().optSeed(seed).optRestarts(restarts).optPerturbations(perturbations)
                .optTimeLimit(timeLimit).optNeighbours(neighbours).optExactUpTo(exactUpTo);
    }

    /** @return the random seed */
    public long seed() {
        return seed;
    }

    /** @return the number of starts after the identity start */
    public int restarts() {
        return restarts;
    }

    /** @return the number of perturbations per start */
    public int perturbations() {
        return perturbations;
    }

    /** @return the wall-clock budget of one solve */
    public Duration timeLimit() {
        return timeLimit;
    }

    /** @return the candidate list length */
    public int neighbours() {
        return neighbours;
    }

    /** @return the size up to which instances are solved exactly */
    public int exactUpTo() {
        return exactUpTo;
    }

    /**
     * Builds the group's distance matrix ({@link DistanceMatrix#fromSlices}) and solves it.
     *
     * @param group the slices of one channel group (not modified)
     * @return the order and the path lengths before and after
     * @throws IllegalArgumentException when the group is invalid
     */
    public TspResult solve(List<ChannelSlices> group) {
        return solve(DistanceMatrix.fromSlices(group));
    }

    /**
     * Finds a short open path through all cities.
     *
     * @param distances the {@code (n, n)} distances (not modified)
     * @return the order (new channel {@code k} takes old channel {@code order[k]}) and the path
     *         lengths of the identity and of the order
     * @throws IllegalArgumentException when {@code distances} is null
     */
    public TspResult solve(DistanceMatrix distances) {
        Checks.requireNonNull("TspSolver.solve", "distances", distances);
        long t0 = System.nanoTime();
        long budget = timeLimit.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1).toNanos() : timeLimit.toNanos();
        long deadline = t0 + budget;
        int n = distances.size();
        double[] d = distances.raw();
        int[] identity = ChannelPermutation.identity(n);
        double before = DistanceMatrix.pathLength(d, n, identity);

        int[] best;
        boolean exact = n <= Math.max(exactUpTo, 3);
        Progress progress = new Progress();
        if (exact) {
            best = heldKarp(d, n);
        } else {
            best = localSearch(d, n, identity, deadline, progress);
        }
        if (n > 1 && best[0] > best[n - 1]) {
            reverseInPlace(best);
        }
        double after = DistanceMatrix.pathLength(d, n, best);
        if (!(after < before - 1e-12 * before)) {
            best = identity;
            after = before;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        LOG.debug("TSP over {} channels: path length {} -> {} ({} starts, {} perturbations, exact={}, "
                + "time limit reached={}, {} ms)", n, before, after, progress.starts, progress.kicks, exact,
                progress.timeUp, elapsed.toMillis());
        return new TspResult(best, before, after, exact, exact ? 1 : progress.starts, progress.kicks, progress.timeUp,
                elapsed);
    }

    /** Counters of one solve (for its result): starts, perturbations, whether the time limit ended the search. */
    private static final class Progress {
        int starts;
        long kicks;
        boolean timeUp;
    }

    /**
     * Multi-start iterated local search: the identity first, then alternately nearest-neighbour
     * and random starts, each improved by 2-opt/Or-opt and perturbations.
     *
     * @return the shortest path found
     */
    private int[] localSearch(double[] d, int n, int[] identity, long deadline, Progress progress) {
        int k = Math.min(neighbours, n - 1);
        PathSearch search = new PathSearch(d, n, PathSearch.nearestNeighbours(d, n, k), k, deadline);
        SplittableRandom random = new SplittableRandom(seed);
        int[] saved = new int[n + 1];
        int[] best = identity;
        double bestLength = Double.POSITIVE_INFINITY;
        for (int s = 0; s <= restarts; s++) {
            if (s > 0 && System.nanoTime() - deadline > 0) {
                progress.timeUp = true;
                break;
            }
            int[] start = s == 0 ? identity
                    : s % 2 == 1 ? nearestNeighbourPath(d, n, random.nextInt(n)) : randomOrder(n, random);
            search.load(start);
            search.optimizeAll();
            progress.starts++;
            perturb(search, random, saved, n, deadline, progress);
            int[] path = search.path();
            double length = DistanceMatrix.pathLength(d, n, path);
            if (length < bestLength) {
                bestLength = length;
                best = path;
            }
        }
        return best;
    }

    /**
     * The perturbation phase of one start: kick the tour, re-optimise, keep it when shorter, until
     * the perturbation count, the stall limit or the time limit is reached; the best tour stays loaded.
     */
    private void perturb(PathSearch search, SplittableRandom random, int[] saved, int n, long deadline,
                         Progress progress) {
        double runLength = search.length();
        double tolerance = 1e-12 * Math.max(runLength, Double.MIN_NORMAL);
        search.saveTour(saved);
        int stallLimit = Math.max(MIN_STALL_PERTURBATIONS, STALL_PERTURBATIONS_PER_CITY * n);
        int stalled = 0;
        for (int it = 0; it < perturbations && stalled < stallLimit && !search.timedOut(); it++) {
            if (System.nanoTime() - deadline > 0) {
                progress.timeUp = true;
                break;
            }
            if (!search.kick(random)) {
                break;
            }
            search.optimizeQueued();
            progress.kicks++;
            if (search.length() < runLength - tolerance) {
                runLength = search.length();
                search.saveTour(saved);
                stalled = 0;
            } else {
                search.restoreTour(saved, runLength);
                stalled++;
            }
        }
        search.restoreTour(saved, runLength);
        progress.timeUp |= search.timedOut();
    }

    /** Exact shortest open path by Held–Karp dynamic programming over subsets. */
    static int[] heldKarp(double[] d, int n) {
        if (n <= 2) {
            return ChannelPermutation.identity(n);
        }
        int full = 1 << n;
        double[] cost = new double[full * n];
        byte[] parent = new byte[full * n];
        Arrays.fill(cost, Double.POSITIVE_INFINITY);
        for (int j = 0; j < n; j++) {
            cost[(1 << j) * n + j] = 0;
            parent[(1 << j) * n + j] = -1;
        }
        for (int mask = 1; mask < full; mask++) {
            for (int j = 0; j < n; j++) {
                double c = cost[mask * n + j];
                if ((mask & (1 << j)) == 0 || c == Double.POSITIVE_INFINITY) {
                    continue;
                }
                for (int next = 0; next < n; next++) {
                    if ((mask & (1 << next)) != 0) {
                        continue;
                    }
                    int to = (mask | (1 << next)) * n + next;
                    double v = c + d[j * n + next];
                    if (v < cost[to]) {
                        cost[to] = v;
                        parent[to] = (byte) j;
                    }
                }
            }
        }
        int mask = full - 1;
        int last = 0;
        for (int j = 1; j < n; j++) {
            if (cost[mask * n + j] < cost[mask * n + last]) {
                last = j;
            }
        }
        int[] path = new int[n];
        for (int p = n - 1; p >= 0; p--) {
            path[p] = last;
            int prev = parent[mask * n + last];
            mask &= ~(1 << last);
            last = prev;
        }
        return path;
    }

    /** Greedy path: start at {@code first}, repeatedly go to the nearest unvisited city. */
    static int[] nearestNeighbourPath(double[] d, int n, int first) {
        int[] path = new int[n];
        boolean[] used = new boolean[n];
        path[0] = first;
        used[first] = true;
        for (int p = 1; p < n; p++) {
            int from = path[p - 1];
            int bestCity = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (!used[c] && d[from * n + c] < bestDistance) {
                    bestDistance = d[from * n + c];
                    bestCity = c;
                }
            }
            path[p] = bestCity;
            used[bestCity] = true;
        }
        return path;
    }

    private static int[] randomOrder(int n, SplittableRandom random) {
        int[] order = ChannelPermutation.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void reverseInPlace(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public String toString() {
        return "TspSolver{seed=" + seed + ", restarts=" + restarts + ", perturbations=" + perturbations
                + ", timeLimit=" + timeLimit + ", neighbours=" + neighbours + ", exactUpTo=" + exactUpTo + "}";
    }

    /** Builds a {@link TspSolver}; every option has a default, checks happen in {@link #build()}. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private int restarts = DEFAULT_RESTARTS;
        private int perturbations = DEFAULT_PERTURBATIONS;
        private Duration timeLimit = DEFAULT_TIME_LIMIT;
        private int neighbours = DEFAULT_NEIGHBOURS;
        private int exactUpTo = DEFAULT_EXACT_UP_TO;

        private Builder() {
        }

        /**
         * @param seed the random seed of restarts and perturbations; default {@value TspSolver#DEFAULT_SEED}
         * @return this
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param restarts starts after the identity start, {@code >= 0}; default
         *                 {@value TspSolver#DEFAULT_RESTARTS}
         * @return this
         */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /**
         * @param perturbations perturbations per start, {@code >= 0} (0: plain multi-start local
         *                      search); default {@value TspSolver#DEFAULT_PERTURBATIONS}
         * @return this
         */
        public Builder optPerturbations(int perturbations) {
            this.perturbations = perturbations;
            return this;
        }

        /**
         * @param timeLimit wall-clock budget of one solve, positive; default 2 s. Searching stops once
         *                  it is spent and the best order so far is returned (the identity start and
         *                  the candidate lists always run first).
         * @return this
         */
        public Builder optTimeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
            return this;
        }

        /**
         * @param neighbours candidate list length per city, {@code >= 1}; default
         *                   {@value TspSolver#DEFAULT_NEIGHBOURS}
         * @return this
         */
        public Builder optNeighbours(int neighbours) {
            this.neighbours = neighbours;
            return this;
        }

        /**
         * @param exactUpTo solve instances of at most this many cities exactly, in
         *                  {@code [0, MAX_EXACT_UP_TO]}; default {@value TspSolver#DEFAULT_EXACT_UP_TO}
         *                  (instances of at most 3 cities are always solved exactly)
         * @return this
         */
        public Builder optExactUpTo(int exactUpTo) {
            this.exactUpTo = exactUpTo;
            return this;
        }

        /**
         * @return the solver
         * @throws IllegalArgumentException when an option is out of range
         */
        public TspSolver build() {
            String w = "TspSolver.Builder";
            Checks.require(restarts >= 0, w, "restarts must be >= 0, got %d.", restarts);
            Checks.require(perturbations >= 0, w, "perturbations must be >= 0, got %d.", perturbations);
            Checks.requireNonNull(w, "timeLimit", timeLimit);
            Checks.require(!timeLimit.isNegative() && !timeLimit.isZero(), w,
                    "timeLimit must be positive, got %s.", timeLimit);
            Checks.requireAtLeast(w, "neighbours", neighbours, 1, "");
            Checks.require(exactUpTo >= 0 && exactUpTo <= MAX_EXACT_UP_TO, w,
                    "exactUpTo must be in [0, %d], got %d (Held-Karp needs 2^n * n doubles).",
                    MAX_EXACT_UP_TO, exactUpTo);
            return new TspSolver(this);
        }
    }
}
