/**
 * Reading DL4J model files: {@link org.integral4j.layers.io.FastModelRestore} restores
 * {@code ModelSerializer} zips with block decoding instead of DL4J's per-value reads.
 */
package org.integral4j.layers.io;
