package org.integral4j.distributed.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CollectScoresListener;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.TestModels;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.examples.data.FashionMnist;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.runtime.IntegralLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DL4J's ParallelWrapper with two replicas on the CPU backend, each at its own random widths. */
class IntegralParallelWrapperTest {

    private static final Logger LOG = LoggerFactory.getLogger(IntegralParallelWrapperTest.class);

    private static double accuracyAt(IntegralModel inn, double ratio, DataSet data) {
        Map<String, Integer> sizes = inn.sizes();
        inn.resize(ratio);
        try {
            return TestModels.accuracy(inn.network(), data);
        } finally {
            sizes.forEach(inn::resize);
        }
    }

    @Test
    void twoReplicasTrainAtTheirOwnRandomWidths() {
        FashionMnistData train = TestModels.fashionMnist(FashionMnist.Split.TRAIN);
        DataSet test = TestModels.fashionMnist(FashionMnist.Split.TEST).toDataSet();
        IntegralModel inn = TestModels.integral(TestModels.fashionCnn(42, 3e-3));
        MultiLayerNetwork net = inn.multiLayerNetwork();
        CollectScoresListener userListener = new CollectScoresListener(1);
        net.setListeners(userListener);
        Map<String, Integer> sizes = inn.sizes();
        double accBefore = accuracyAt(inn, 1.0, test);
        double accHalfBefore = accuracyAt(inn, 0.5, test);
        INDArray paramsBefore = net.params().dup();

        IntegralParallelWrapper pw = IntegralParallelWrapper.builder(inn).workers(2).averagingFrequency(2)
                .prefetchBuffer(2).widths(WidthSampling.uniform(0.5)).seed(4).recordWidths(true).build();
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < 2; epoch++) {
            DataSetIterator it = train.iterator(32, 10 + epoch);
            pw.fit(it);
        }
        LOG.info("2 epochs with 2 replicas in {} s", String.format("%.1f", (System.nanoTime() - t0) / 1e9));

        double accAfter = accuracyAt(inn, 1.0, test);
        double accHalfAfter = accuracyAt(inn, 0.5, test);
        LOG.info("ParallelWrapper: accuracy at 100% {} -> {}, at 50% {} -> {}", accBefore, accAfter, accHalfBefore,
                accHalfAfter);
        assertNotEquals(paramsBefore, net.params());
        assertTrue(accAfter > accBefore + 0.35, "full width learns: " + accBefore + " -> " + accAfter);
        assertTrue(accHalfAfter > accHalfBefore + 0.2,
                "half width learns: " + accHalfBefore + " -> " + accHalfAfter);

        List<WidthDraw> draws = pw.widthDraws();
        Map<String, List<WidthDraw>> byReplica = draws.stream().collect(Collectors.groupingBy(WidthDraw::worker));
        assertEquals(Set.of("replica 0", "replica 1"), byReplica.keySet());
        assertEquals(2 * ((train.size() + 31) / 32), draws.size(), "one draw per minibatch (the last one of 16 images)");
        List<Map<String, Integer>> first = byReplica.get("replica 0").stream().map(WidthDraw::sizes).toList();
        List<Map<String, Integer>> second = byReplica.get("replica 1").stream().map(WidthDraw::sizes).toList();
        assertNotEquals(first, second, "the replicas draw different widths");
        assertTrue(first.stream().distinct().count() > first.size() / 2, "widths change per step");
        for (WidthDraw d : draws) {
            d.sizes().forEach((g, s) -> assertTrue(s >= sizes.get(g) / 2 && s <= sizes.get(g), g + ": " + s));
        }

        // the model is the model it was: bound to its own groups, same sizes, the user's listener back
        assertEquals(sizes, inn.sizes());
        for (IntegralLayer<?> layer : IntegralNetworks.integralLayers(net)) {
            assertSame(inn.groups(), layer.groups());
        }
        assertEquals(List.of(userListener), List.copyOf(net.getListeners()));
    }

    @Test
    void rejectsGridTuningAndSingleReplicas() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        assertThrows(IllegalArgumentException.class, () -> IntegralParallelWrapper.builder(inn).workers(1));
        inn.groups().get(inn.groupNames().get(0)).makeTrainable(TrainableGrid.Endpoints.PINNED);
        IntegralParallelWrapper pw = IntegralParallelWrapper.builder(inn).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pw.fit(new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                        TestModels.stripes(2, 8, 1))));
        assertTrue(e.getMessage().contains("grid tuning"), e.getMessage());
    }
}
