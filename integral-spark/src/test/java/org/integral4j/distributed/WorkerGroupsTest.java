package org.integral4j.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.runtime.IntegralLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class WorkerGroupsTest {

    /** What a DL4J worker does: a new network from the configuration and a copy of the parameters. */
    static MultiLayerNetwork workerCopy(MultiLayerNetwork driver) {
        MultiLayerNetwork copy = new MultiLayerNetwork(driver.getLayerWiseConfigurations().clone());
        copy.init(driver.params().dup(), false);
        return copy;
    }

    @Test
    void aBoundWorkerCopyComputesWhatTheDriverComputesAtItsSizes() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        inn.resize(0.5);
        DataSet data = TestModels.stripes(1, 16, 5).get(0);
        INDArray expected = inn.multiLayerNetwork().output(data.getFeatures(), false);

        MultiLayerNetwork copy = workerCopy(inn.multiLayerNetwork());
        INDArray unbound = copy.output(data.getFeatures(), false);
        assertNotEquals(expected, unbound, "an unbound copy runs at full size, not at the model's 50%");

        WorkerGroups worker = WorkerGroups.bind(copy, ChannelGroupsSnapshot.of(inn.groups()), null, 1, "w");
        assertEquals(expected, copy.output(data.getFeatures(), false));
        for (IntegralLayer<?> layer : IntegralNetworks.integralLayers(copy)) {
            assertSame(worker.groups(), layer.groups());
            assertNotSame(inn.groups(), layer.groups());
        }
        assertEquals(inn.sizes(), worker.groups().evaluationSizes());
    }

    @Test
    void drawsWidthsWithinTheDistributionAndRecordsThem() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        MultiLayerNetwork copy = workerCopy(inn.multiLayerNetwork());
        WorkerGroups worker = WorkerGroups.bind(copy, ChannelGroupsSnapshot.of(inn.groups()), WidthSampling.uniform(0.5),
                9, "worker 9");
        Set<Map<String, Integer>> seen = new HashSet<>();
        for (int step = 0; step < 30; step++) {
            WidthDraw d = worker.drawForNextStep();
            assertEquals("worker 9", d.worker());
            assertEquals(step, d.step());
            assertEquals(inn.groupNames(), List.copyOf(d.sizes().keySet()));
            d.sizes().forEach((g, s) -> {
                assertTrue(s >= Math.max(2, Math.round(0.5 * inn.fullSize(g))) && s <= inn.fullSize(g), g + " " + s);
                assertEquals(s, worker.groups().get(g).size(true), "the record is what the step uses");
            });
            seen.add(d.sizes());
        }
        assertTrue(seen.size() > 10, "widths vary from step to step: " + seen.size());
        assertEquals(inn.sizes(), worker.groups().evaluationSizes(), "evaluation sizes are untouched");
        inn.groups().all().forEach(g -> assertEquals(null, g.distribution(), "the driver's groups are not changed"));
    }

    @Test
    void trainsAtTheDrawnWidth() {
        IntegralModel inn = TestModels.integral(TestModels.tinyCnn(1));
        MultiLayerNetwork copy = workerCopy(inn.multiLayerNetwork());
        WorkerGroups worker = WorkerGroups.bind(copy, ChannelGroupsSnapshot.of(inn.groups()), WidthSampling.uniform(0.3),
                2, "w");
        DataSet data = TestModels.stripes(1, 16, 5).get(0);
        INDArray before = copy.params().dup();
        for (int i = 0; i < 3; i++) {
            worker.drawForNextStep();
            copy.fit(data);
        }
        assertNotEquals(before, copy.params());
        assertEquals(before.length(), copy.params().length(), "λ keeps its shape at every width");
    }

    @Test
    void seedsAreDeterministicAndDistinctPerWorker() {
        assertEquals(WorkerGroups.seed(42, 1, 2, 0), WorkerGroups.seed(42, 1, 2, 0));
        Set<Long> seeds = new HashSet<>();
        for (int stage = 0; stage < 5; stage++) {
            for (int partition = 0; partition < 5; partition++) {
                seeds.add(WorkerGroups.seed(42, stage, partition, 0));
            }
        }
        assertEquals(25, seeds.size());
        assertNotEquals(WorkerGroups.seed(42, 1, 2), WorkerGroups.seed(42, 2, 1));
        assertNotEquals(WorkerGroups.seed(42, 0), WorkerGroups.seed(43, 0));
    }

    @Test
    void widthSamplingValidatesItsRatio() {
        assertThrows(IllegalArgumentException.class, () -> WidthSampling.uniform(0));
        assertThrows(IllegalArgumentException.class, () -> WidthSampling.halfNormal(1.5));
        assertTrue(WidthSampling.halfNormal(0.5).halfNormal());
    }
}
