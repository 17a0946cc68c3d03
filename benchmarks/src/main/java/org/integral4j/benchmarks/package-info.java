/**
 * JMH micro-benchmarks and end-to-end benchmark programs that print medians and ratios measured
 * side by side in one run: layer speed ({@link org.integral4j.benchmarks.LayerSpeedBenchmark}),
 * Integral4J next to PyTorch ({@link org.integral4j.benchmarks.SideBySideBenchmark}, with the
 * Python script it ships), the sampling kernels
 * ({@link org.integral4j.benchmarks.SamplingKernelBenchmark}), conversion and load costs
 * ({@link org.integral4j.benchmarks.ConversionCostBenchmark}), CPU contention under OpenMP settings
 * ({@link org.integral4j.benchmarks.ContentionBenchmark}), TSP and ResNet-18 conversion. Run with
 * {@code mvn -B -DskipTests -Pbench package -pl benchmarks -am -Dbench.main=...} (see the README).
 */
package org.integral4j.benchmarks;
