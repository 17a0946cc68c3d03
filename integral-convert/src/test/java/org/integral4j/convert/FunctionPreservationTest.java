package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On every supported topology, with random and with trained weights: the permuted discrete
 * network, the integral network at full size and its export reproduce the source network; the
 * export at a reduced size reproduces the integral network at that size; the source is not
 * modified.
 */
class FunctionPreservationTest {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionPreservationTest.class);

    static Stream<Arguments> topologies() {
        return Stream.of(
                Arguments.of("sequential conv/bn/pool/dense", (Supplier<Model>) Topologies::sequential, new long[] {4, 2, 10, 10}),
                Arguments.of("flatten into dense", (Supplier<Model>) Topologies::flatten, new long[] {4, 1, 9, 9}),
                Arguments.of("depthwise", (Supplier<Model>) Topologies::depthwise, new long[] {4, 2, 8, 8}),
                Arguments.of("conv1d", (Supplier<Model>) Topologies::conv1d, new long[] {4, 3, 12}),
                Arguments.of("resnet with residual adds and concat", (Supplier<Model>) Topologies::resnet,
                        new long[] {4, 3, 12, 12}),
                Arguments.of("residual blocks of a single convolution", (Supplier<Model>) Topologies::singleConvResidual,
                        new long[] {4, 2, 8, 8}),
                Arguments.of("keras-like channels-last graph", (Supplier<Model>) Topologies::kerasLikeChannelsLast,
                        new long[] {4, 8, 8, 2}));
    }

    private static INDArray output(Model m, INDArray x) {
        return m instanceof MultiLayerNetwork mln ? mln.output(x) : ((ComputationGraph) m).outputSingle(x);
    }

    /** max |a - b| / max |b|. */
    private static double relative(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-12, b.amaxNumber().doubleValue());
    }

    private static void train(Model m, INDArray x, int steps) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, x.size(0), 3);
        for (int i = 0; i < x.size(0); i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        if (y.size(1) != output(m, x).size(1)) {
            y = Nd4j.zeros(DataType.DOUBLE, x.size(0), output(m, x).size(1));
            for (int i = 0; i < x.size(0); i++) {
                y.putScalar(i, i % y.size(1), 1.0);
            }
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < steps; i++) {
            if (m instanceof MultiLayerNetwork mln) {
                mln.fit(ds);
            } else {
                ((ComputationGraph) m).fit(ds);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void conversionPreservesTheFunction(String name, Supplier<Model> factory, long[] inputShape) {
        for (boolean trained : new boolean[] {false, true}) {
            Model source = factory.get();
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.DOUBLE, inputShape).subi(0.5).muli(2);
            if (trained) {
                train(source, x, 15);
            }
            INDArray params = source.params().dup();
            String json = source instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                    : ((ComputationGraph) source).getConfiguration().toJson();
            INDArray expected = output(source, x);
            String what = name + (trained ? " (trained)" : " (random)");

            IntegralWrapper wrapper = IntegralWrapper.builder().build();
            double permuted = relative(output(wrapper.permutedDiscrete(source), x), expected);
            IntegralModel inn = wrapper.wrapModel(source);
            double innFull = relative(output(inn.network(), x), expected);
            double exportFull = relative(output(inn.toDiscrete(), x), expected);
            LOG.info("{}: permuted {} INN full {} export full {}", what, permuted, innFull, exportFull);
            assertTrue(permuted <= 1e-5, what + ": permuted discrete vs source " + permuted);
            assertTrue(innFull <= 1e-4, what + ": INN at full size vs source " + innFull);
            assertTrue(exportFull <= 1e-4, what + ": export at full size vs source " + exportFull);

            for (String group : inn.groupNames()) {
                inn.resize(group, Math.max(2, (int) Math.round(inn.fullSize(group) * 0.7)));
            }
            INDArray innReduced = output(inn.network(), x);
            Model small = inn.toDiscrete();
            double reduced = relative(output(small, x), innReduced);
            assertTrue(reduced <= 1e-5, what + ": export at reduced size vs INN " + reduced);
            assertTrue(small.numParams() < source.numParams(), what + ": the export is smaller");

            assertTrue(params.equalsWithEps(source.params(), 0.0), what + ": source parameters unchanged");
            String after = source instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                    : ((ComputationGraph) source).getConfiguration().toJson();
            assertEquals(json, after, what + ": source configuration unchanged");
        }
    }
}
