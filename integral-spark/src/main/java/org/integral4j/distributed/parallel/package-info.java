/**
 * Multi-core or multi-GPU training on one machine with DL4J's {@code ParallelWrapper}, each replica
 * at its own random widths ({@link org.integral4j.distributed.parallel.IntegralParallelWrapper}).
 */
package org.integral4j.distributed.parallel;
