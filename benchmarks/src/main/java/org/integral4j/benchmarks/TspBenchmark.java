package org.integral4j.benchmarks;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.integral4j.convert.permutation.ChannelPermutation;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.DistanceMatrix;
import org.integral4j.convert.permutation.TotalVariation;
import org.integral4j.convert.permutation.TspResult;
import org.integral4j.convert.permutation.TspSolver;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Times the channel-permutation pipeline (distance matrix, TSP solve, applying the order) on the
 * TorchIntegral golden cases of {@code permutation.json} and on a random 512-channel group (conv
 * {@code W1: (512*, 512, 3, 3)} on its out axis and {@code W2: (512, 512*, 3, 3)} on its in axis),
 * printing medians over several runs and, for the golden cases, the ratio to the reference's
 * {@code find_permutation_seconds} (TorchIntegral distance matrix + 2-opt on the machine that
 * generated the file).
 *
 * <p>Usage: {@code TspBenchmark [path/to/permutation.json] [runs]}; the default path is
 * {@code ../shared/reference/permutation.json} (relative to the repository root) or
 * {@code /work/shared/reference/permutation.json}; default runs 7.
 */
public final class TspBenchmark {

    private static final String[] DEFAULT_PATHS = {
        "../shared/reference/permutation.json",
        "../../shared/reference/permutation.json",
        "/work/shared/reference/permutation.json"
    };

    private TspBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional: path to permutation.json, number of timed runs
     * @throws IOException when the JSON file cannot be read
     */
    public static void main(String[] args) throws IOException {
        File json = args.length > 0 ? new File(args[0]) : findDefault();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        TspSolver solver = TspSolver.defaults();
        System.out.println("solver: " + solver);
        System.out.println("medians of " + runs + " runs after " + warmups(runs) + " warm-up runs");
        System.out.println("cores available: " + Runtime.getRuntime().availableProcessors());

        if (json != null && json.isFile()) {
            goldenCases(json, solver, runs);
        } else {
            System.out.println("permutation.json not found (pass its path as the first argument); skipping golden cases");
        }
        randomGroup(solver, runs);
    }

    private static File findDefault() {
        for (String p : DEFAULT_PATHS) {
            File f = new File(p);
            if (f.isFile()) {
                return f;
            }
        }
        return null;
    }

    private static void goldenCases(File json, TspSolver solver, int runs) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        System.out.println();
        System.out.println("golden cases from " + json.getPath());
        System.out.println(String.format(Locale.ROOT, "%-28s %4s %8s %9s %9s %8s %7s %9s %13s %12s %12s %9s %9s",
                "case", "n", "dist ms", "solve ms", "total ms", "ref ms", "ratio", "apply ms", "ref+apply ms",
                "path after", "ref after", "TV after", "ref TV"));
        for (JsonNode c : root.get("cases")) {
            List<ChannelSlices> group = new ArrayList<>();
            JsonNode tensors = c.get("tensors");
            for (int i = 0; i < tensors.size(); i++) {
                group.add(ChannelSlices.of(tensor(tensors.get(i)), c.get("dims").get(i).asInt()));
            }
            Timing t = time(group, solver, runs);
            double refSeconds = c.get("find_permutation_seconds").asDouble();
            System.out.println(String.format(Locale.ROOT,
                    "%-28s %4d %8.3f %9.3f %9.3f %8.3f %7.3f %9.3f %13.3f %12.5f %12.5f %9.5f %9.5f",
                    c.get("name").asText(), c.get("size").asInt(), t.distanceMs, t.solveMs,
                    t.distanceMs + t.solveMs, refSeconds * 1e3, (t.distanceMs + t.solveMs) / (refSeconds * 1e3),
                    t.applyMs, c.get("find_and_apply_seconds").asDouble() * 1e3, t.result.lengthAfter(),
                    c.get("tsp_path_distance_after").asDouble(), TotalVariation.of(group, t.result.order()),
                    c.get("total_variance_after").asDouble()));
        }
        System.out.println("ratio = (dist + solve) / reference find_permutation_seconds; < 1 means faster. "
                + "The reference ran TorchIntegral's Cython 2-opt on the generating machine.");
    }

    private static void randomGroup(TspSolver solver, int runs) {
        int n = 512;
        INDArray w1 = BenchTensors.gaussianWeights(1, n, 512, 3, 3);
        INDArray w2 = BenchTensors.gaussianWeights(2, 512, n, 3, 3);
        List<ChannelSlices> group = List.of(ChannelSlices.of(w1, 0), ChannelSlices.of(w2, 1));
        System.out.println();
        System.out.println("random group: W1 (512*, 512, 3, 3) axis 0 + W2 (512, 512*, 3, 3) axis 1, n = " + n);
        Timing t = time(group, solver, runs);
        System.out.println(String.format(Locale.ROOT,
                "distance matrix %.1f ms, solve %.1f ms, total %.1f ms, apply (both tensors) %.1f ms",
                t.distanceMs, t.solveMs, t.distanceMs + t.solveMs, t.applyMs));
        System.out.println(String.format(Locale.ROOT,
                "path %.4f -> %.4f (%.2f%% shorter), TV %.6f -> %.6f, starts %d, perturbations %d, time limit reached %s",
                t.result.lengthBefore(), t.result.lengthAfter(),
                100 * (1 - t.result.lengthAfter() / t.result.lengthBefore()), TotalVariation.of(group),
                TotalVariation.of(group, t.result.order()), t.result.starts(), t.result.perturbations(),
                t.result.timeLimitReached()));
    }

    private static final class Timing {
        double distanceMs;
        double solveMs;
        double applyMs;
        TspResult result;
    }

    private static Timing time(List<ChannelSlices> group, TspSolver solver, int runs) {
        int warmup = warmups(runs);
        double[] dist = new double[runs];
        double[] solve = new double[runs];
        double[] apply = new double[runs];
        Timing t = new Timing();
        for (int r = -warmup; r < runs; r++) {
            long t0 = System.nanoTime();
            DistanceMatrix d = DistanceMatrix.fromSlices(group);
            long t1 = System.nanoTime();
            TspResult result = solver.solve(d);
            long t2 = System.nanoTime();
            for (ChannelSlices s : group) {
                ChannelPermutation.apply(s, result.order());
            }
            long t3 = System.nanoTime();
            if (r >= 0) {
                dist[r] = (t1 - t0) / 1e6;
                solve[r] = (t2 - t1) / 1e6;
                apply[r] = (t3 - t2) / 1e6;
            }
            t.result = result;
        }
        t.distanceMs = Medians.median(dist);
        t.solveMs = Medians.median(solve);
        t.applyMs = Medians.median(apply);
        return t;
    }

    private static int warmups(int runs) {
        return Math.max(2, runs / 2);
    }

    private static INDArray tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode dataNode = t.get("data");
        float[] data = new float[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) dataNode.get(i).asDouble();
        }
        return Nd4j.create(data, shape, 'c');
    }
}
