/**
 * Calibration of resized networks without labels and without gradient training of the weights,
 * on a few hundred unlabeled inputs: batch-norm statistics re-estimated at the new width,
 * label-free layer-wise reconstruction by regularised least squares, grid tuning by distillation,
 * for {@link org.integral4j.convert.IntegralModel} and, with the same steps, for the L1
 * channel-selection baseline ({@link org.integral4j.convert.L1ChannelPruner}). Also loaders of
 * calibration images (IDX files, folders of PNG/JPEG) with a pixel scaling.
 *
 * <p>Entry points: {@link org.integral4j.convert.IntegralModel#calibrate},
 * {@link org.integral4j.convert.calibration.Calibration}, {@link
 * org.integral4j.convert.calibration.CalibrationOptions}, {@link
 * org.integral4j.convert.calibration.CalibrationImages}.
 */
package org.integral4j.convert.calibration;
