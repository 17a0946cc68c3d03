package org.integral4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.integral4j.function.WeightFunction;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sampling a 512x512x3x3 convolution weight function (float32, trapezoid on the input axis) at
 * full size and at half size, next to a plain {@code dup()} of the same weight: the ratio
 * {@code sample / dup} is the cost of representing the weight as a function.
 *
 * <p>Run: {@code mvn -B -DskipTests -Pbench package -Dbench.args="SampleBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=8G"})
public class SampleBenchmark {

    private WeightFunction function;
    private INDArray lambda;
    private Grid1D full;
    private Grid1D half;

    /** Creates the weight function and a random lambda. */
    @Setup
    public void setUp() {
        function = WeightFunction.builder(512, 512, 3, 3).name("conv512").continuousAxes(0, 1)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        lambda = Nd4j.rand(DataType.FLOAT, 512, 512, 3, 3);
        full = Grid1D.uniform(512);
        half = Grid1D.uniform(256);
    }

    /**
     * The baseline: a copy of the weight.
     *
     * @return the copy
     */
    @Benchmark
    public INDArray dup() {
        return lambda.dup();
    }

    /**
     * Sampling at full size (512 x 512).
     *
     * @return the sampled weight
     */
    @Benchmark
    public INDArray sampleFull() {
        return function.sample(lambda, full, full);
    }

    /**
     * Sampling at half size (256 x 256).
     *
     * @return the sampled weight
     */
    @Benchmark
    public INDArray sampleHalf() {
        return function.sample(lambda, half, half);
    }
}
