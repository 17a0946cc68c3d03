/**
 * The reference study: TorchIntegral's MNIST network on Fashion-MNIST, converted, trained at random
 * widths and resampled without fine-tuning, next to L1 channel selection ({@link
 * org.integral4j.examples.reference.ReferenceStudy}).
 */
package org.integral4j.examples.reference;
