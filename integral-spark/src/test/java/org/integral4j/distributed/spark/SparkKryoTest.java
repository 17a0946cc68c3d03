package org.integral4j.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.TestModels;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthEvaluation;
import org.integral4j.distributed.WidthSampling;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The serializer DL4J recommends on clusters: Kryo with ND4J's registrator (dl4j-spark 1.0.0-M2's
 * {@code org.nd4j.kryo.Nd4jRegistrator}) on the M2.1 core. DataSets are shuffled through Kryo when
 * DL4J repartitions them for each averaging round.
 */
class SparkKryoTest {

    @Test
    void trainsAndEvaluatesWithKryo() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("integral4j-kryo")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            IntegralModel inn = TestModels.integral(TestModels.tinyCnn(3));
            INDArray before = inn.network().params().dup();
            DataSet test = DataSet.merge(TestModels.stripes(4, 25, 21));
            double accBefore = TestModels.accuracy(inn.network(), test);
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16).batchSizePerWorker(16)
                    .averagingFrequency(4).workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .rngSeed(1).build();
            SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).widths(WidthSampling.uniform(0.5))
                    .recordWidths(true).build();
            for (int epoch = 0; epoch < 3; epoch++) {
                spark.fit(sc.parallelize(TestModels.stripes(32, 16, 20 + epoch), 2));
            }
            assertNotEquals(before, inn.network().params());
            List<WidthDraw> draws = spark.widthDraws();
            assertEquals(3 * 32, draws.size());
            assertEquals(2, draws.stream().map(d -> d.worker().replaceAll(".*partition (\\d+).*", "$1"))
                    .collect(Collectors.toSet()).size());
            List<WidthEvaluation> r = spark.evaluate(sc.parallelize(List.of(test), 2), 1.0, 0.5);
            double accAfter = TestModels.accuracy(inn.network(), test);
            assertEquals(accAfter, r.get(0).accuracy(), 1e-12);
            assertTrue(accAfter > accBefore + 0.1, "learns with Kryo: " + accBefore + " -> " + accAfter);
        }
    }
}
