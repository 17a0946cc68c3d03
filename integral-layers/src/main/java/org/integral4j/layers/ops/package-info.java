/**
 * Forward and backward passes of integral layers as pure static functions on ND4J arrays
 * (dense, convolution, batch normalisation), tested without DL4J.
 */
package org.integral4j.layers.ops;
