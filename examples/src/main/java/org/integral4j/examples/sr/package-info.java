/**
 * The super-resolution study: a small EDSR-style x2 network on real photographs, converted to an
 * integral network and resampled to 50% and 30% width ({@link
 * org.integral4j.examples.sr.SuperResolutionStudy}).
 */
package org.integral4j.examples.sr;
