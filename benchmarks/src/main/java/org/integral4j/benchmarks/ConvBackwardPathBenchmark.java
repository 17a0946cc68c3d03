package org.integral4j.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.integral4j.layers.ops.ConvGeometry;
import org.integral4j.layers.ops.ConvOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a 3x3, stride-1 convolution as random-width training meets it: every step
 * brings channel counts not seen before, so each call is the first for its shape. For each range
 * of channel counts and map size, three disjoint sets of shapes drawn from the same distribution
 * (input and output channels uniform in the range, batch 16, float32) run one backward pass each
 * (dx, dW into preallocated arrays) with the property {@code integral4j.conv.backward} set to
 * {@code onednn} (libnd4j's oneDNN helper), {@code generic} (libnd4j's own im2col + GEMM) and
 * {@code auto} (the rule of the integral convolution). Printed: the mean and median milliseconds of
 * each; the mean is what a training run pays.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am
 * -Dbench.main=org.integral4j.benchmarks.ConvBackwardPathBenchmark -Dbench.args="80"} (shapes per set).
 */
public final class ConvBackwardPathBenchmark {

    private static final String PROPERTY = "integral4j.conv.backward";
    private static final String[] PATHS = {"onednn", "generic", "auto"};
    /** {lowest channels, highest channels, map size}. */
    private static final int[][] RANGES = {{128, 256, 4}, {96, 224, 4}, {256, 512, 2}, {128, 256, 2}, {64, 128, 8}};

    private ConvBackwardPathBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional number of shapes per set (default 80)
     */
    public static void main(String[] args) {
        int shapes = args.length > 0 ? Integer.parseInt(args[0]) : 80;
        ConvGeometry geo = new ConvGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                ConvGeometry.Mode.SAME);
        String before = System.getProperty(PROPERTY);
        System.out.printf(Locale.ROOT, "3x3 stride-1 convolution backward, batch 16, float32, %d fresh shapes per "
                + "path; ms per call, mean / median%n", shapes);
        System.out.println("| channels (in and out) | map | oneDNN helper | libnd4j im2col + GEMM | rule (auto) |");
        System.out.println("|---|---|---|---|---|");
        try {
            for (int[] range : RANGES) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d-%d | %dx%d |", range[0],
                        range[1], range[2], range[2]));
                for (int p = 0; p < PATHS.length; p++) {
                    System.setProperty(PROPERTY, PATHS[p]);
                    // Disjoint shape sets: a shape another path ran first would find oneDNN's primitive cached.
                    double[] ms = firstCalls(geo, range, shapes, new Random(31L * p + range[0] + 7L * range[2]));
                    row.append(String.format(Locale.ROOT, " %.1f / %.1f |", Arrays.stream(ms).average().orElse(0),
                            Medians.median(ms)));
                }
                System.out.println(row);
            }
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    private static double[] firstCalls(ConvGeometry geo, int[] range, int count, Random rng) {
        double[] times = new double[count];
        for (int i = 0; i < count; i++) {
            int in = range[0] + rng.nextInt(range[1] - range[0] + 1);
            int out = range[0] + rng.nextInt(range[1] - range[0] + 1);
            int hw = range[2];
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, in, hw, hw);
            INDArray w = Nd4j.rand(DataType.FLOAT, out, in, 3, 3);
            INDArray dz = Nd4j.rand(DataType.FLOAT, 16, out, hw, hw);
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
            times[i] = Medians.timeMs(() -> ConvOps.backward(x, w, null, dz, geo, 1, dx, dw, null));
        }
        return times;
    }
}
