/**
 * The parameter layout and initialisation of integral layers in DL4J's flat parameter vector.
 */
package org.integral4j.layers.params;
