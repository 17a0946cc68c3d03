/**
 * Runnable programs: the Fashion-MNIST pipeline (the README's main job) and a tour of
 * integral-core.
 */
package org.integral4j.examples;
