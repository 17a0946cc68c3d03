package org.integral4j.benchmarks;

import java.util.Locale;
import org.integral4j.function.WeightFunction;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one random-width training step spends on the weight functions of the small CNN: sampling
 * the four weights at 75% width ({@link WeightFunction#sampleInto}) and mapping their gradients back
 * to the knots ({@link WeightFunction#lambdaGradientInto}), float32, measured interleaved in one JVM
 * on two paths: the in-place kernels (contiguous arrays: bulk copies, float arithmetic, per-thread
 * work arrays) and the portable path (taken for arrays the kernels cannot read directly, here
 * 'f'-ordered copies: element-wise conversion to {@code double[]}, allocating passes, a fresh
 * result), which is how every resampled weight was computed before the in-place kernels. Weights:
 * conv1 {@code (32*, 1, 3, 3)}, conv2 {@code (64*, 32*, 3, 3)}, dense after the flatten
 * {@code (128*, 64*, 25)}, classifier {@code (10, 128*)}.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.SamplingKernelBenchmark -Dbench.args="60"} (measured rounds).
 */
public final class SamplingKernelBenchmark {

    private SamplingKernelBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional number of measured rounds (default 60)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long[][] shapes = {{32, 1, 3, 3}, {64, 32, 3, 3}, {128, 64, 25}, {10, 128}};
        int[][] continuous = {{0}, {0, 1}, {0, 1}, {1}};
        int n = shapes.length;
        WeightFunction[] f = new WeightFunction[n];
        Grid1D[][] grids = new Grid1D[n][];
        INDArray[][] lambda = new INDArray[2][n];
        INDArray[][] upstream = new INDArray[2][n];
        INDArray[] sampled = new INDArray[n];
        INDArray[] gradient = new INDArray[n];
        Nd4j.getRandom().setSeed(3);
        for (int i = 0; i < n; i++) {
            f[i] = WeightFunction.builder(shapes[i]).continuousAxes(continuous[i])
                    .referenceQuadrature(TrapezoidalQuadrature.INSTANCE, false).build();
            grids[i] = new Grid1D[continuous[i].length];
            for (int k = 0; k < grids[i].length; k++) {
                grids[i][k] = Grid1D.uniform((int) (shapes[i][continuous[i][k]] * 3 / 4));
            }
            lambda[0][i] = Nd4j.rand(DataType.FLOAT, f[i].lambdaShape());
            lambda[1][i] = lambda[0][i].dup('f');
            upstream[0][i] = Nd4j.rand(DataType.FLOAT, f[i].sampledShape(grids[i]));
            upstream[1][i] = upstream[0][i].dup('f');
            sampled[i] = Nd4j.create(DataType.FLOAT, f[i].sampledShape(grids[i]));
            gradient[i] = Nd4j.create(DataType.FLOAT, f[i].lambdaShape());
        }
        double[][] ms = new double[2][rounds];
        int warmup = Math.max(20, rounds / 3);
        for (int r = -warmup; r < rounds; r++) {
            for (int path = 0; path < 2; path++) {
                final int p = path;
                double t = Medians.timeMs(() -> {
                    for (int i = 0; i < n; i++) {
                        f[i].sampleInto(lambda[p][i], sampled[i], grids[i]);
                        f[i].lambdaGradientInto(lambda[p][i], upstream[p][i], gradient[i], grids[i]);
                    }
                });
                if (r >= 0) {
                    ms[path][r] = t;
                }
            }
        }
        double inPlace = Medians.median(ms[0]);
        double portable = Medians.median(ms[1]);
        System.out.printf(Locale.ROOT, "sample + knot gradient of the small CNN's 4 weights at 75%% width, median of %d "
                + "interleaved rounds:%n  in-place float kernels %.2f ms%n  portable double path    %.2f ms (%.1fx)%n",
                rounds, inPlace, portable, portable / inPlace);
    }
}
