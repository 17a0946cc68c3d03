package org.integral4j.distributed.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.distributed.TestModels;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.grid.TrainableGrid;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.runtime.IntegralLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** The hook as DL4J's Spark worker drives it, without a Spark cluster. */
class IntegralTrainingHookTest {

    static IntegralTrainingHook roundTrip(IntegralTrainingHook hook) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(hook);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (IntegralTrainingHook) in.readObject();
        }
    }

    static MultiLayerNetwork workerCopy(MultiLayerNetwork driver) {
        MultiLayerNetwork copy = new MultiLayerNetwork(driver.getLayerWiseConfigurations().clone());
        copy.init(driver.params().dup(), false);
        return copy;
    }

    private static List<Map<String, Integer>> trainSteps(IntegralTrainingHook hook, MultiLayerNetwork net,
                                                         List<DataSet> data) {
        List<Map<String, Integer>> sizes = new ArrayList<>();
        for (DataSet ds : data) {
            hook.preUpdate(ds, net);
            ChannelGroups g = IntegralNetworks.integralLayers(net).get(0).groups();
            Map<String, Integer> s = new java.util.LinkedHashMap<>();
            g.all().forEach(x -> s.put(x.name(), x.size(true)));
            sizes.add(s);
            net.fit(ds);
            hook.postUpdate(ds, net);
        }
        return sizes;
    }

    @Test
    void bindsEachWorkerCopyAndDrawsItsOwnWidthsPerStep() throws Exception {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        IntegralTrainingHook driverHook = IntegralTrainingHook.builder(inn.groups()).widths(WidthSampling.uniform(0.4))
                .seed(5).build();
        List<DataSet> data = TestModels.stripes(12, 16, 3);

        IntegralTrainingHook onWorkerA = roundTrip(driverHook);
        IntegralTrainingHook onWorkerB = roundTrip(driverHook);
        MultiLayerNetwork a = workerCopy(inn.multiLayerNetwork());
        MultiLayerNetwork b = workerCopy(inn.multiLayerNetwork());
        List<Map<String, Integer>> sizesA = trainSteps(onWorkerA, a, data);
        List<Map<String, Integer>> sizesB = trainSteps(onWorkerB, b, data);

        for (MultiLayerNetwork net : List.of(a, b)) {
            ChannelGroups g = IntegralNetworks.integralLayers(net).get(0).groups();
            assertNotNull(g, "the worker copy is bound");
            assertNotSame(inn.groups(), g);
            for (IntegralLayer<?> layer : IntegralNetworks.integralLayers(net)) {
                assertSame(g, layer.groups(), "every layer of the copy shares one set of groups");
            }
        }
        assertTrue(sizesA.stream().distinct().count() > 6, "widths change from step to step: " + sizesA);
        assertNotEquals(sizesA, sizesB, "two workers draw different widths");
        assertNotEquals(a.params(), b.params(), "so they train differently");
        assertEquals(inn.multiLayerNetwork().params().length(), a.params().length());
    }

    @Test
    void aSecondNetworkOnTheSameHookGetsItsOwnGroups() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        IntegralTrainingHook hook = IntegralTrainingHook.builder(inn.groups()).widths(WidthSampling.uniform(0.5)).build();
        MultiLayerNetwork first = workerCopy(inn.multiLayerNetwork());
        MultiLayerNetwork second = workerCopy(inn.multiLayerNetwork());
        DataSet ds = TestModels.stripes(1, 8, 1).get(0);
        hook.preUpdate(ds, first);
        hook.preUpdate(ds, second);
        hook.preUpdate(ds, first);
        ChannelGroups g1 = IntegralNetworks.integralLayers(first).get(0).groups();
        ChannelGroups g2 = IntegralNetworks.integralLayers(second).get(0).groups();
        assertNotSame(g1, g2);
        assertSame(g1, IntegralNetworks.integralLayers(first).get(1).groups());
    }

    @Test
    void keepsTheModelsSizesWithoutADistribution() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        inn.resize(0.5);
        IntegralTrainingHook hook = IntegralTrainingHook.builder(inn.groups()).build();
        MultiLayerNetwork copy = workerCopy(inn.multiLayerNetwork());
        List<Map<String, Integer>> sizes = trainSteps(hook, copy, TestModels.stripes(3, 8, 2));
        for (Map<String, Integer> s : sizes) {
            inn.sizes().forEach((g, n) -> assertEquals(n, s.get(g), "trains at the model's size of " + g));
        }
    }

    @Test
    void rejectsGridTuning() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        inn.groups().get(inn.groupNames().get(0)).makeTrainable(TrainableGrid.Endpoints.PINNED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegralTrainingHook.builder(inn.groups()).build());
        assertTrue(e.getMessage().contains("grid tuning"), e.getMessage());
    }
}
