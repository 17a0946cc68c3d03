package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupAnalyzer;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.convert.graph.GroupMember;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

class L1ChannelPrunerTest {

    static Stream<Arguments> topologies() {
        return Stream.of(
                Arguments.of("flatten into dense", (Supplier<Model>) Topologies::flatten, new long[] {3, 1, 9, 9}),
                Arguments.of("depthwise", (Supplier<Model>) Topologies::depthwise, new long[] {3, 2, 8, 8}),
                Arguments.of("resnet", (Supplier<Model>) Topologies::resnet, new long[] {3, 3, 12, 12}));
    }

    private static INDArray output(Model m, INDArray x) {
        return Dl4jNetwork.of(m).output(x)[0];
    }

    /**
     * Pruning a channel whose producers feed only ReLU/tanh/pooling on the way to its consumers is
     * the same as zeroing the consumers' weights for that channel, as long as the producers'
     * outputs that are removed are not read elsewhere; the pruned network must equal the masked one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void prunedNetworkEqualsTheSourceWithRemovedChannelsMasked(String name, Supplier<Model> factory, long[] shape) {
        Model source = factory.get();
        INDArray before = source.params().dup();
        L1ChannelPruner pruner = L1ChannelPruner.builder().build();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        INDArray expectedFull = output(source, x);
        assertTrue(output(pruner.prune(source, 1.0), x).equalsWithEps(expectedFull, 1e-12), "ratio 1 changes nothing");

        Map<String, double[]> importance = pruner.importance(source);
        Model pruned = pruner.prune(source, 0.6);
        assertTrue(pruned.numParams() < source.numParams());
        assertEquals(source.getClass(), pruned.getClass());

        // The masked twin: the consumers of every removed channel read zeros.
        Model masked = Dl4jNetwork.of(source).copy().model();
        ChannelGroupAnalysis analysis = ChannelGroupAnalyzer.analyze(ModelView.of(source));
        for (ChannelGroupSpec g : analysis.continuousGroups()) {
            if (g.isComposite()) {
                continue;
            }
            double[] s = importance.get(g.name());
            int keep = Math.max(2, (int) Math.round(0.6 * g.size()));
            double threshold = s.clone()[0];
            double[] sorted = s.clone();
            java.util.Arrays.sort(sorted);
            threshold = sorted[sorted.length - keep];
            for (GroupMember mem : g.members(GroupMember.Role.CONSUMER)) {
                INDArray w = param(masked, mem.networkParamKey());
                for (int c = 0; c < g.size(); c++) {
                    if (s[c] >= threshold) {
                        continue;
                    }
                    for (int q = 0; q < mem.blockLength(); q++) {
                        INDArrayIndex[] ix = new INDArrayIndex[w.rank()];
                        for (int d = 0; d < w.rank(); d++) {
                            ix[d] = d == mem.axis() ? NDArrayIndex.point(mem.axisIndex(c, q)) : NDArrayIndex.all();
                        }
                        w.get(ix).assign(0);
                    }
                }
            }
        }
        double diff = output(pruned, x).sub(output(masked, x)).amaxNumber().doubleValue();
        assertTrue(diff < 1e-10, name + ": pruned vs masked " + diff);
        assertTrue(before.equalsWithEps(source.params(), 0.0), "source unchanged");
    }

    private static INDArray param(Model m, String key) {
        return m.getParam(key);
    }

    @Test
    void keepsTheChannelsWithTheLargestWeights() {
        MultiLayerNetwork net = Topologies.flatten();
        INDArray w = net.getParam("0_W");
        w.get(NDArrayIndex.point(4)).muli(100);
        Map<String, double[]> importance = L1ChannelPruner.builder().build().importance(net);
        double[] s = importance.values().iterator().next();
        for (int c = 0; c < s.length; c++) {
            assertTrue(c == 4 || s[c] < s[4], "channel 4 is the most important");
        }
        MultiLayerNetwork pruned = (MultiLayerNetwork) L1ChannelPruner.builder().build().prune(net,
                Map.of(importance.keySet().iterator().next(), 2));
        assertEquals(2, pruned.getLayer(0).getParam("W").size(0));
        INDArray kept = pruned.getLayer(0).getParam("W");
        boolean found = false;
        for (int i = 0; i < 2; i++) {
            found |= kept.get(NDArrayIndex.point(i)).equalsWithEps(w.get(NDArrayIndex.point(4)), 1e-12);
        }
        assertTrue(found, "the large filter survives");
        assertThrows(IllegalArgumentException.class, () -> L1ChannelPruner.builder().build().prune(net, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> L1ChannelPruner.builder().build().prune(net, Map.of("nope", 2)));
    }
}
