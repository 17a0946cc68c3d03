/**
 * Configurations of the integral layers (usable in DL4J's {@code NeuralNetConfiguration} and
 * {@code ComputationGraph} builders, serialised to JSON like DL4J's own), their parameter
 * specifications and the resizable flatten preprocessor.
 */
package org.integral4j.layers.conf;
