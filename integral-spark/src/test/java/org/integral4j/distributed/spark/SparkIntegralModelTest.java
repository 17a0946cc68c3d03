package org.integral4j.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.TestModels;
import org.integral4j.distributed.Width;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthEvaluation;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integral networks trained and evaluated with DL4J's Spark training in local mode ({@code local[2]}:
 * two workers in one JVM, each task deserialising its own copy of the network and the hook, as on
 * a cluster).
 */
class SparkIntegralModelTest {

    private static final Logger LOG = LoggerFactory.getLogger(SparkIntegralModelTest.class);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestContext.local2("integral4j-spark-test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static double accuracyAt(IntegralModel inn, double ratio, DataSet data) {
        Map<String, Integer> sizes = inn.sizes();
        inn.resize(ratio);
        try {
            return TestModels.accuracy(inn.network(), data);
        } finally {
            sizes.forEach(inn::resize);
        }
    }

    /**
     * The main check: an integral CNN trained on Spark for a few averaging rounds learns,
     * at full and at half width, with every worker drawing its own widths, and the result is an
     * ordinary integral model.
     */
    @Test
    void trainsAnIntegralCnnAcrossWorkersAtRandomWidths(@TempDir Path dir) throws Exception {
        FashionMnistData train = TestModels.fashionMnist(FashionMnist.Split.TRAIN);
        DataSet test = TestModels.fashionMnist(FashionMnist.Split.TEST).toDataSet();
        IntegralModel inn = TestModels.integral(TestModels.fashionCnn(42, 3e-3));
        Map<String, Integer> fullSizes = inn.sizes();
        MultiLayerNetwork net = inn.multiLayerNetwork();
        double lossBefore = net.score(test);
        double accBefore = accuracyAt(inn, 1.0, test);
        double accHalfBefore = accuracyAt(inn, 0.5, test);

        // 80 DataSets of 25 images: 10 averaging rounds per epoch of 2 workers x 4 minibatches each (DL4J
        // trains at most averagingFrequency minibatches per worker and round, so the count is a multiple)
        JavaRDD<DataSet> rdd = sc.parallelize(TestModels.batches(train, 25, 7), 2);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(25).batchSizePerWorker(25)
                .averagingFrequency(4).workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(5).build();
        SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).widths(WidthSampling.uniform(0.5)).seed(3)
                .recordWidths(true).build();
        long t0 = System.nanoTime();
        spark.fit(rdd);
        double scoreAfterEpoch1 = spark.score();
        spark.fit(rdd);
        LOG.info("2 Spark epochs (2 x 10 averaging rounds of 2 workers x 4 steps x 25 images) in {} s",
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));

        double lossAfter = net.score(test);
        double accAfter = accuracyAt(inn, 1.0, test);
        double accHalfAfter = accuracyAt(inn, 0.5, test);
        LOG.info("test loss {} -> {}; accuracy at 100% {} -> {}, at 50% {} -> {}; worker score after epoch 1 {}, 2 {}",
                lossBefore, lossAfter, accBefore, accAfter, accHalfBefore, accHalfAfter, scoreAfterEpoch1, spark.score());
        assertTrue(lossAfter < lossBefore - 0.5, "test loss decreases: " + lossBefore + " -> " + lossAfter);
        assertTrue(spark.score() < Math.log(10), "worker loss is below chance level: " + spark.score());
        assertTrue(accAfter > accBefore + 0.35, "full width learns: " + accBefore + " -> " + accAfter);
        assertTrue(accHalfAfter > accHalfBefore + 0.2,
                "half width learns: " + accHalfBefore + " -> " + accHalfAfter);
        assertEquals(fullSizes, inn.sizes(), "training leaves the driver's groups as they were");

        // every minibatch was trained at a width drawn by its worker; workers drew different widths
        List<WidthDraw> draws = spark.widthDraws();
        assertEquals(2 * 80, draws.size(), "one draw per minibatch");
        Map<String, List<WidthDraw>> byWorker = draws.stream().collect(Collectors.groupingBy(WidthDraw::worker));
        Set<String> partitions = byWorker.keySet().stream().map(w -> w.replaceAll(".*partition (\\d+).*", "$1"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("0", "1"), partitions, "both workers trained: " + byWorker.keySet());
        assertEquals(2 * 10 * 2, byWorker.size(), "a new task (and network copy) per averaging round: " + byWorker.keySet());
        Set<Map<String, Integer>> distinct = new HashSet<>();
        for (WidthDraw d : draws) {
            distinct.add(d.sizes());
            d.sizes().forEach((g, s) -> assertTrue(s >= fullSizes.get(g) / 2 && s <= fullSizes.get(g), g + ": " + s));
        }
        assertTrue(distinct.size() > draws.size() / 2, "widths vary per step: " + distinct.size() + " of " + draws.size());
        Map<String, List<Map<String, Integer>>> roundsByStage = new HashMap<>();
        byWorker.forEach((w, list) -> roundsByStage.computeIfAbsent(w.replaceAll(" partition.*", ""),
                k -> new java.util.ArrayList<>()).add(list.get(0).sizes()));
        assertTrue(roundsByStage.values().stream().anyMatch(l -> l.size() == 2 && !l.get(0).equals(l.get(1))),
                "two workers of one round start at different widths: " + roundsByStage);

        // distributed evaluation at several widths agrees with evaluation on the driver
        List<WidthEvaluation> byWidth = spark.evaluate(sc.parallelize(TestModels.batches(
                TestModels.fashionMnist(FashionMnist.Split.TEST), 50, 1), 2), 1.0, 0.75, 0.5);
        LOG.info("accuracy by width on Spark:\n{}", WidthEvaluation.table(byWidth));
        assertEquals(accAfter, byWidth.get(0).accuracy(), 1e-12);
        assertEquals(accuracyAt(inn, 0.75, test), byWidth.get(1).accuracy(), 1e-12);
        assertEquals(accHalfAfter, byWidth.get(2).accuracy(), 1e-12);
        assertEquals(500, byWidth.get(0).evaluation().getNumRowCounter(), 0.0);

        // the trained model saves, loads, resizes and exports like any integral model
        File file = dir.resolve("spark-trained.zip").toFile();
        inn.save(file);
        IntegralModel loaded = IntegralModel.load(file);
        assertEquals(inn.groupNames(), loaded.groupNames());
        loaded.resize(0.5);
        inn.resize(0.5);
        INDArray expected = inn.multiLayerNetwork().output(test.getFeatures(), false);
        assertEquals(expected, loaded.multiLayerNetwork().output(test.getFeatures(), false));
        MultiLayerNetwork small = (MultiLayerNetwork) loaded.toDiscrete();
        assertEquals(accHalfAfter, TestModels.accuracy(small, test), 0.005, "the exported half-width network");
        assertTrue(small.numParams() < net.numParams() / 2);
    }

    /** A residual graph (a group tied by an add), trained with DL4J's default export approach. */
    @Test
    void trainsAComputationGraphWithTheExportApproach() {
        IntegralModel inn = TestModels.integral(TestModels.tinyResidualGraph(5));
        List<DataSet> trainData = TestModels.stripes(32, 16, 11);
        DataSet test = DataSet.merge(TestModels.stripes(8, 25, 12));
        double before = accuracyAt(inn, 1.0, test);
        INDArray paramsBefore = inn.network().params().dup();

        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16).batchSizePerWorker(16)
                .averagingFrequency(4).workerPrefetchNumBatches(0).build();

        SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).widths(WidthSampling.halfNormal(0.5)).seed(8)
                .recordWidths(true).build();
        JavaRDD<DataSet> rdd = sc.parallelize(trainData, 2);
        for (int epoch = 0; epoch < 3; epoch++) {
            spark.fit(rdd);
        }
        Model net = spark.network();
        assertTrue(net instanceof ComputationGraph);
        assertNotEquals(paramsBefore, net.params());
        double after = accuracyAt(inn, 1.0, test);
        LOG.info("residual graph on Spark: accuracy {} -> {}", before, after);
        assertTrue(after > before + 0.2, "learns: " + before + " -> " + after);

        List<WidthDraw> draws = spark.widthDraws();
        assertEquals(3 * 32, draws.size());
        assertEquals(inn.groupNames(), List.copyOf(draws.get(0).sizes().keySet()), "one group, tied by the add");
        long distinct = draws.stream().map(WidthDraw::sizes).distinct().count();
        assertTrue(distinct >= 3, "random widths among the 5 possible (4..8 channels): " + distinct);

        List<Width> widths = List.of(Width.full(), Width.ratio(0.5),
                Width.sizes("first group at 4", Map.of(inn.groupNames().get(0), 4)));
        List<WidthEvaluation> r = spark.evaluate(sc.parallelize(List.of(test), 1), widths);
        assertEquals(after, r.get(0).accuracy(), 1e-12);
        assertEquals(accuracyAt(inn, 0.5, test), r.get(1).accuracy(), 1e-12);
        inn.resize(inn.groupNames().get(0), 4);
        assertEquals(TestModels.accuracy(inn.network(), test), r.get(2).accuracy(), 1e-12);
    }

    @Test
    void refusesAnEmptyEvaluationAndGridTuning() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(2));
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(8).batchSizePerWorker(8)
                .build();
        SparkIntegralModel spark = SparkIntegralModel.builder(sc, inn, tm).build();
        JavaRDD<DataSet> empty = sc.parallelize(List.<DataSet>of(), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spark.evaluate(empty, 1.0));
        assertTrue(e.getMessage().contains("no examples"), e.getMessage());
        inn.groups().get(inn.groupNames().get(0)).makeTrainable(org.integral4j.grid.TrainableGrid.Endpoints.PINNED);
        JavaRDD<DataSet> data = sc.parallelize(TestModels.stripes(2, 8, 1), 1);
        e = assertThrows(IllegalArgumentException.class, () -> spark.fit(data));
        assertTrue(e.getMessage().contains("grid tuning"), e.getMessage());
    }
}
