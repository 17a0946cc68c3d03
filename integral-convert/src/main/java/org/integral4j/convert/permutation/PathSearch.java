package org.integral4j.convert.permutation;

import java.util.SplittableRandom;

/**
 * Local search state for the open-path TSP, not thread-safe, one per solve.
 *
 * <p>The open path over {@code n} cities is stored as a closed tour over {@code N = n + 1} nodes:
 * node {@code n} is a dummy at distance 0 from every city, and cutting the tour at the dummy gives
 * the path with the same length. Every tour move is then a valid path move, including the
 * reversal of a path prefix or suffix (a 2-opt move with the dummy as an endpoint changes only one
 * real edge). The tour is an array ({@code tour[position]}, {@code pos[node]}); moves are
 * expressed as node-based 2-opt moves that reverse the shorter side of the tour, so a move costs
 * O(min(k, N - k)) for a segment of k nodes, while its length change (delta) is computed in O(1)
 * from the 4 (2-opt), 6 (Or-opt) or 6 (segment exchange) edges involved.
 *
 * <p>Moves: 2-opt and Or-opt (move a segment of 1 to {@value #MAX_SEGMENT} cities between two other
 * adjacent cities, either way round), searched from a queue of "active" nodes (don't-look bits)
 * over each city's nearest-neighbour list with the usual gain pruning. Perturbation: exchange two
 * short adjacent segments (a local double bridge).
 */
final class PathSearch {

    /** Longest segment an Or-opt move relocates. */
    static final int MAX_SEGMENT = 3;
    /** Longest segment a perturbation exchanges. */
    private static final int MAX_KICK_SEGMENT = 50;

    private final int n;
    private final int nodes;
    private final int dummy;
    /** Row-major (n, n) distances between cities; the dummy is at distance 0 from all. */
    private final double[] dist;
    private final int[] neighbours;
    private final int k;
    private final double eps;
    private final long deadline;

    private final int[] tour;
    private final int[] pos;
    private final int[] queue;
    private final int[] kickBuffer = new int[2 * MAX_KICK_SEGMENT];
    private final int[] segment = new int[MAX_SEGMENT];
    private final boolean[] queued;
    private int head;
    private int size;
    private double length;
    private boolean timedOut;

    /**
     * @param d          row-major (n, n) distances, symmetric (not modified)
     * @param n          number of cities, {@code >= 4}
     * @param neighbours {@code neighbours[i·k + r]}: the r-th nearest city of city i
     * @param k          neighbours per city
     * @param deadline   {@link System#nanoTime()} after which searching stops
     */
    PathSearch(double[] d, int n, int[] neighbours, int k, long deadline) {
        this.n = n;
        this.nodes = n + 1;
        this.dummy = n;
        this.dist = d;
        double max = 0;
        for (double v : d) {
            max = Math.max(max, v);
        }
        this.eps = 1e-12 * Math.max(max, Double.MIN_NORMAL);
        this.neighbours = neighbours;
        this.k = k;
        this.deadline = deadline;
        this.tour = new int[nodes];
        this.pos = new int[nodes];
        this.queue = new int[nodes];
        this.queued = new boolean[nodes];
    }

    /**
     * Nearest-neighbour lists: for each city the {@code k} closest other cities, closest first (ties
     * by index).
     */
    static int[] nearestNeighbours(double[] d, int n, int k) {
        int[] out = new int[n * k];
        double[] best = new double[k];
        int[] idx = new int[k];
        for (int i = 0; i < n; i++) {
            int filled = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double v = d[row + j];
                if (filled == k && v >= best[k - 1]) {
                    continue;
                }
                int at = filled < k ? filled++ : k - 1;
                while (at > 0 && best[at - 1] > v) {
                    best[at] = best[at - 1];
                    idx[at] = idx[at - 1];
                    at--;
                }
                best[at] = v;
                idx[at] = j;
            }
            System.arraycopy(idx, 0, out, i * k, k);
        }
        return out;
    }

    /** Loads an open path (a permutation of the n cities) and computes its length. */
    void load(int[] path) {
        for (int p = 0; p < n; p++) {
            tour[p] = path[p];
            pos[path[p]] = p;
        }
        tour[n] = dummy;
        pos[dummy] = n;
        length = DistanceMatrix.pathLength(dist, n, path);
    }

    /** @return the tracked length, maintained from O(1) move deltas */
    double length() {
        return length;
    }

    /** @return whether the deadline passed during a search */
    boolean timedOut() {
        return timedOut;
    }

    /** @return the open path: the tour cut at the dummy */
    int[] path() {
        int[] out = new int[n];
        int p = pos[dummy];
        for (int i = 0; i < n; i++) {
            p = p + 1 == nodes ? 0 : p + 1;
            out[i] = tour[p];
        }
        return out;
    }

    /** Copies the tour into {@code buffer} (length N). */
    void saveTour(int[] buffer) {
        System.arraycopy(tour, 0, buffer, 0, nodes);
    }

    /** Restores a tour saved by {@link #saveTour} together with its length. */
    void restoreTour(int[] buffer, double savedLength) {
        System.arraycopy(buffer, 0, tour, 0, nodes);
        for (int p = 0; p < nodes; p++) {
            pos[tour[p]] = p;
        }
        length = savedLength;
    }

    /** Runs the local search with every city active. */
    void optimizeAll() {
        for (int c = 0; c < n; c++) {
            push(c);
        }
        optimizeQueued();
    }

    /** Runs the local search until no active city has an improving move or the deadline passes. */
    void optimizeQueued() {
        int steps = 0;
        while (size > 0) {
            if ((++steps & 63) == 0 && System.nanoTime() - deadline > 0) {
                timedOut = true;
                while (size > 0) {
                    poll();
                }
                return;
            }
            int a = poll();
            if (a == dummy) {
                continue;
            }
            if (improveTwoOpt(a) || improveOrOpt(a)) {
                push(a);
            }
        }
    }

    /**
     * Perturbs the tour: exchanges two adjacent segments of 1 to {@value #MAX_KICK_SEGMENT} nodes
     * at a random position ({@code a B C d → a C B d}) and activates the six endpoints.
     *
     * @return false when the tour is too small to perturb
     */
    boolean kick(SplittableRandom random) {
        int maxLen = Math.min(MAX_KICK_SEGMENT, (nodes - 2) / 2);
        if (maxLen < 1 || nodes < 6) {
            return false;
        }
        int i = random.nextInt(nodes);
        int l1 = 1 + random.nextInt(maxLen);
        int l2 = 1 + random.nextInt(maxLen);
        int a = tour[i];
        int b1 = tour[wrap(i + 1)];
        int bEnd = tour[wrap(i + l1)];
        int c1 = tour[wrap(i + l1 + 1)];
        int cEnd = tour[wrap(i + l1 + l2)];
        int d = tour[wrap(i + l1 + l2 + 1)];
        double delta = dist(a, c1) + dist(cEnd, b1) + dist(bEnd, d)
                - dist(a, b1) - dist(bEnd, c1) - dist(cEnd, d);
        int[] moved = kickBuffer;
        for (int s = 0; s < l2; s++) {
            moved[s] = tour[wrap(i + l1 + 1 + s)];
        }
        for (int s = 0; s < l1; s++) {
            moved[l2 + s] = tour[wrap(i + 1 + s)];
        }
        for (int s = 0; s < l1 + l2; s++) {
            int p = wrap(i + 1 + s);
            tour[p] = moved[s];
            pos[moved[s]] = p;
        }
        length += delta;
        push(a);
        push(b1);
        push(bEnd);
        push(c1);
        push(cEnd);
        push(d);
        return true;
    }

    /** Best improving 2-opt move that adds an edge from {@code a} to one of its neighbours. */
    private boolean improveTwoOpt(int a) {
        double best = -eps;
        int bestB = -1;
        int bestC = -1;
        int bestD = -1;
        for (int dir = 0; dir < 2; dir++) {
            int b = dir == 0 ? next(a) : prev(a);
            double dab = dist(a, b);
            int base = a * k;
            for (int r = 0; r < k; r++) {
                int c = neighbours[base + r];
                double dac = dist(a, c);
                if (dac >= dab - eps) {
                    break;
                }
                int d = dir == 0 ? next(c) : prev(c);
                if (c == b || d == a) {
                    continue;
                }
                double delta = dac + dist(b, d) - dab - dist(c, d);
                if (delta < best) {
                    best = delta;
                    bestB = b;
                    bestC = c;
                    bestD = d;
                }
            }
        }
        if (bestB < 0) {
            return false;
        }
        twoOptMove(a, bestB, bestC, bestD);
        length += best;
        push(bestB);
        push(bestC);
        push(bestD);
        return true;
    }

    /** The best Or-opt move found so far in one {@link #improveOrOpt} call (reused, never shared). */
    private static final class OrOptCandidate {
        double delta;
        int s1;
        int s2;
        int dir;
        int u;
        int v;
        boolean s1NextToU;
    }

    private final OrOptCandidate orOpt = new OrOptCandidate();

    /**
     * Best improving Or-opt move of a segment of 1..{@value #MAX_SEGMENT} cities that starts at
     * {@code a}, inserted next to a neighbour of one of its ends, either way round.
     */
    private boolean improveOrOpt(int a) {
        OrOptCandidate b = orOpt;
        b.delta = -eps;
        b.s1 = -1;
        int[] seg = segment;
        for (int len = 1; len <= MAX_SEGMENT && len + 3 <= nodes; len++) {
            for (int dir = 0; dir < (len == 1 ? 1 : 2); dir++) {
                int s1 = a;
                int s2 = a;
                seg[0] = a;
                boolean ok = true;
                for (int s = 1; s < len; s++) {
                    s2 = dir == 0 ? next(s2) : prev(s2);
                    seg[s] = s2;
                    ok &= s2 != dummy;
                }
                if (!ok) {
                    continue;
                }
                int p = dir == 0 ? prev(s1) : next(s1);
                int nx = dir == 0 ? next(s2) : prev(s2);
                double removeGain = dist(p, s1) + dist(s2, nx) - dist(p, nx);
                if (removeGain > eps) {
                    bestInsertion(seg, len, dir, removeGain, b);
                }
            }
        }
        if (b.s1 < 0) {
            return false;
        }
        int f1 = b.dir == 0 ? b.s1 : b.s2;
        int f2 = b.dir == 0 ? b.s2 : b.s1;
        int p = prev(f1);
        int nx = next(f2);
        push(p);
        push(nx);
        push(b.u);
        push(b.v);
        push(b.s1);
        push(b.s2);
        orOptMove(f1, f2, p, nx, b.u, b.v, b.s1NextToU ? b.s1 : b.s2);
        length += b.delta;
        return true;
    }

    /**
     * Records in {@code b} every insertion of the segment {@code seg[0..len)} (ends
     * {@code s1 = seg[0]}, {@code s2 = seg[len - 1]}, taken out with gain {@code removeGain}) next to a
     * candidate neighbour of one of its ends that is better than {@code b}'s.
     */
    private void bestInsertion(int[] seg, int len, int dir, double removeGain, OrOptCandidate b) {
        int s1 = seg[0];
        int s2 = seg[len - 1];
        for (int end = 0; end < (len == 1 ? 1 : 2); end++) {
            int e = end == 0 ? s1 : s2;
            int base = e * k;
            for (int r = 0; r < k; r++) {
                int c = neighbours[base + r];
                if (dist(e, c) >= removeGain - eps) {
                    break;
                }
                if (contains(seg, len, c)) {
                    continue;
                }
                for (int side = 0; side < 2; side++) {
                    int u = side == 0 ? c : prev(c);
                    int v = side == 0 ? next(c) : c;
                    if (contains(seg, len, u) || contains(seg, len, v)) {
                        continue;
                    }
                    double duv = dist(u, v);
                    double addS1U = dist(u, s1) + dist(s2, v);
                    double addS2U = dist(u, s2) + dist(s1, v);
                    double delta = Math.min(addS1U, addS2U) - duv - removeGain;
                    if (delta < b.delta) {
                        b.delta = delta;
                        b.s1 = s1;
                        b.s2 = s2;
                        b.dir = dir;
                        b.u = u;
                        b.v = v;
                        b.s1NextToU = addS1U <= addS2U;
                    }
                }
            }
        }
    }

    /**
     * Moves the segment {@code f1..f2} (forward order, preceded by {@code p}, followed by
     * {@code nx}) between {@code u} and {@code v = next(u)}, so that {@code uEnd} (f1 or f2) becomes
     * adjacent to {@code u}. Three node-based 2-opt moves (see the class comment).
     */
    private void orOptMove(int f1, int f2, int p, int nx, int u, int v, int uEnd) {
        twoOptMove(p, f1, u, v);      // p u … nx f2 … f1 v
        twoOptMove(p, u, nx, f2);     // p nx … u f2 … f1 v
        if (uEnd == f1) {
            twoOptMove(u, f2, f1, v); // p nx … u f1 … f2 v
        }
    }

    /**
     * Replaces edges (a, b) and (c, d) by (a, c) and (b, d), where b follows a and d follows c in the
     * same direction of travel (either direction).
     */
    private void twoOptMove(int a, int b, int c, int d) {
        if (next(a) == b) {
            reverse(b, c);
        } else {
            reverse(c, b);
        }
    }

    /** Reverses the forward path from x to y (inclusive), or equivalently its complement. */
    private void reverse(int x, int y) {
        int i = pos[x];
        int j = pos[y];
        int len = j - i;
        if (len < 0) {
            len += nodes;
        }
        len += 1;
        if (2 * len > nodes) {
            int ni = wrap(j + 1);
            j = i == 0 ? nodes - 1 : i - 1;
            i = ni;
            len = nodes - len;
        }
        for (int s = len / 2; s > 0; s--) {
            int ti = tour[i];
            int tj = tour[j];
            tour[i] = tj;
            pos[tj] = i;
            tour[j] = ti;
            pos[ti] = j;
            i = i + 1 == nodes ? 0 : i + 1;
            j = j == 0 ? nodes - 1 : j - 1;
        }
    }

    private static boolean contains(int[] seg, int len, int node) {
        for (int s = 0; s < len; s++) {
            if (seg[s] == node) {
                return true;
            }
        }
        return false;
    }

    private double dist(int a, int b) {
        return a == dummy || b == dummy ? 0.0 : dist[a * n + b];
    }

    private int next(int node) {
        int p = pos[node] + 1;
        return tour[p == nodes ? 0 : p];
    }

    private int prev(int node) {
        int p = pos[node];
        return tour[p == 0 ? nodes - 1 : p - 1];
    }

    private int wrap(int p) {
        return p % nodes;
    }

    private void push(int node) {
        if (!queued[node]) {
            queued[node] = true;
            int tail = head + size;
            queue[tail >= nodes ? tail - nodes : tail] = node;
            size++;
        }
    }

    private int poll() {
        int node = queue[head];
        head = head + 1 == nodes ? 0 : head + 1;
        size--;
        queued[node] = false;
        return node;
    }
}
