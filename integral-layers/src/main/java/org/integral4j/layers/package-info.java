/**
 * Integral layers for DL4J: binding networks to their channel groups
 * ({@link org.integral4j.layers.IntegralNetworks}) and enabling oneDNN for DL4J's own layers
 * ({@link org.integral4j.layers.OneDnn}).
 */
package org.integral4j.layers;
