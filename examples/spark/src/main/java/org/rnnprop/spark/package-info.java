/**
 * RNNprop on Apache Spark with Deeplearning4j: the training masters that work with {@code org.rnnprop.dl4j.Rnnprop}
 * ({@link org.rnnprop.spark.TrainingMasters}), a loopback-only Spark context for local mode
 * ({@link org.rnnprop.spark.LocalSpark}) and a comparison of single-machine and distributed training
 * ({@link org.rnnprop.spark.SparkComparison}). See docs/SPARK.md.
 */
package org.rnnprop.spark;
