/**
 * Training with DL4J's {@code fit()}: random-partition training, grid tuning and the optional
 * partition-consistency term.
 */
package org.integral4j.layers.train;
