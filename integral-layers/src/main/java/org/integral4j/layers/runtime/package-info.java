/**
 * Run-time integral layers: forward passes on sampled weights and hand-written backward passes,
 * on libnd4j's ops.
 */
package org.integral4j.layers.runtime;
