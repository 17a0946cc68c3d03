/**
 * DL4J networks behind one interface. DL4J has two kinds of network, {@code MultiLayerNetwork}
 * and {@code ComputationGraph}, with different configuration classes, naming, parameter keys and
 * forward-pass methods; {@link org.integral4j.convert.network.Dl4jNetwork} and
 * {@link org.integral4j.convert.network.Dl4jConfiguration} are the only places in Integral4J that
 * tell them apart. Everything else (analysis, conversion, export, file format, calibration) works
 * on nodes addressed by name ({@link org.integral4j.convert.network.NodeSpec}) and rebuilds
 * networks through {@link org.integral4j.convert.network.Dl4jConfiguration#rebuild} with a
 * {@link org.integral4j.convert.network.NetworkTransform} that says, per layer, which
 * {@link org.integral4j.convert.network.Replacement} it gets.
 */
package org.integral4j.convert.network;
