/**
 * Model definitions shared by the examples, their tests and the benchmarks.
 */
package org.integral4j.examples.models;
