/**
 * JMH micro-benchmarks and end-to-end benchmark programs that print medians and ratios measured
 * side by side in one run. Run with {@code mvn -B -DskipTests -Pbench package} (see the README).
 */
package org.integral4j.benchmarks;
