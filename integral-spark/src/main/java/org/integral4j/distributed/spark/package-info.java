/**
 * Integral networks on Apache Spark with DL4J's parameter averaging
 * ({@code dl4j-spark} 1.0.0-M2 on the 1.0.0-M2.1 core): the training hook that binds each
 * worker's network copy ({@link org.integral4j.distributed.spark.IntegralTrainingHook}), a front
 * door for training and evaluation ({@link org.integral4j.distributed.spark.SparkIntegralModel}),
 * and evaluation at several widths in one pass over an RDD
 * ({@link org.integral4j.distributed.spark.SparkWidthEvaluation}).
 */
package org.integral4j.distributed.spark;
