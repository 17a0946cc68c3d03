package org.integral4j.convert.graph;

import static org.integral4j.convert.graph.GroupAssertions.assertCause;
import static org.integral4j.convert.graph.GroupAssertions.assertGroup;
import static org.integral4j.convert.graph.GroupAssertions.assertRejected;
import static org.integral4j.convert.graph.GroupAssertions.groupNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.graph.AnalysisOptions.Side;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

class GroupOptionsTest {

    private static final AnalysisOptions KEEP = AnalysisOptions.builder().keepUnsupportedDiscrete(true).build();

    @Test
    void forcingAnOutputDiscreteKeepsItsWholeGroupDiscrete() {
        ModelView view = ModelView.of(TestNets.sequential());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view,
                AnalysisOptions.builder().forceDiscrete("fc", Side.OUTPUT).build());
        assertFalse(a.group("fc.out").isContinuous());
        assertCause(a.group("fc.out"), DiscreteCause.Kind.FORCED_BY_USER, "fc");
        assertFalse(a.node("out").isInputContinuous(0));
        assertTrue(a.group("conv1.out").isContinuous());
        assertTrue(a.group("conv2.out").isContinuous());
        assertTrue(a.node("fc").isInputContinuous(0));
        assertEquals(List.of("fc.W[0] consumer"), a.node("fc").continuousMembers().stream()
                .map(GroupAssertions::sig).toList());

        ChannelGroupAnalysis viaBatchNorm = ChannelGroupAnalyzer.analyze(view,
                AnalysisOptions.builder().forceDiscrete("bn1", Side.OUTPUT).build());
        assertFalse(viaBatchNorm.group("conv1.out").isContinuous());
        assertFalse(viaBatchNorm.node("conv2").isInputContinuous(0));
        assertTrue(viaBatchNorm.group("conv2.out").isContinuous());
    }

    @Test
    void forcingOneResidualBranchDiscreteReachesEveryTiedAxis() {
        ModelView view = ModelView.of(TestNets.resnetBlock(false));
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view,
                AnalysisOptions.builder().forceDiscrete("c2", Side.OUTPUT).build());
        assertFalse(a.group("stem.out").isContinuous());
        assertFalse(a.node("stem").isOutputContinuous());
        assertFalse(a.node("bn0").isOutputContinuous());
        assertTrue(a.node("stem").continuousMembers().isEmpty());
        assertTrue(a.group("c1.out").isContinuous());
        assertTrue(a.node("c2").isInputContinuous(0));

        ChannelGroupAnalysis bothSides = ChannelGroupAnalyzer.analyze(view,
                AnalysisOptions.builder().forceDiscrete("c1").build());
        assertFalse(bothSides.group("stem.out").isContinuous());
        assertFalse(bothSides.group("c1.out").isContinuous());
        assertEquals(List.of("in.out", "stem.out", "c1.out", "out.out"),
                bothSides.discreteGroups().stream().map(ChannelGroupSpec::name).toList());
    }

    @Test
    void aDiscretePartMakesTheWholeConcatenationDiscrete() {
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(TestNets.inception()),
                AnalysisOptions.builder().forceDiscrete("b1", Side.OUTPUT).build());
        for (String g : List.of("b1.out", "b2.out", "stem.out", "cat.out")) {
            assertFalse(a.group(g).isContinuous(), g);
        }
        assertCause(a.group("b1.out"), DiscreteCause.Kind.FORCED_BY_USER, "b1");
        assertCause(a.group("stem.out"), DiscreteCause.Kind.CONCATENATED_WITH_DISCRETE, "cat");
        assertCause(a.group("b2.out"), DiscreteCause.Kind.CONCATENATED_WITH_DISCRETE, "cat");
        assertTrue(a.group("c.out").isContinuous());
        assertFalse(a.node("c").isInputContinuous(0));
    }

    @Test
    void networkOutputsCanBeMadeContinuous() {
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(TestNets.sequential()),
                AnalysisOptions.builder().forceContinuous("out", Side.OUTPUT).build());
        assertTrue(a.group("out.out").isContinuous());
        assertEquals(List.of("input.out"), a.discreteGroups().stream().map(ChannelGroupSpec::name).toList());
    }

    @Test
    void impossibleOrUnknownOverridesAreRejected() {
        ModelView view = ModelView.of(TestNets.sequential());
        assertRejected(() -> ChannelGroupAnalyzer.analyze(view,
                        AnalysisOptions.builder().forceContinuous("conv1", Side.INPUT).build()),
                "the INPUT axis of 'conv1' is forced continuous", "group 'input.out' must stay discrete",
                "network input 'input'", "Fix: remove forceContinuous(\"conv1\", INPUT)");
        assertRejected(() -> ChannelGroupAnalyzer.analyze(view,
                        AnalysisOptions.builder().forceDiscrete("fc2", Side.OUTPUT).build()),
                "node 'fc2', which the network does not have", "conv1");
        assertRejected(() -> ChannelGroupAnalyzer.analyze(view,
                        AnalysisOptions.builder().forceContinuous("fc", Side.OUTPUT).forceDiscrete("out", Side.INPUT)
                                .build()),
                "group 'fc.out' must stay discrete", "forced discrete at 'out' (input)");
        assertRejected(() -> ChannelGroupAnalyzer.analyze(view,
                        AnalysisOptions.builder().forceDiscrete("input", Side.INPUT).build()),
                "'input' is a network input and has no input axis");
        assertRejected(() -> AnalysisOptions.builder().forceDiscrete("fc").forceContinuous("fc", Side.OUTPUT).build(),
                "the OUTPUT axis of 'fc' is forced both discrete and continuous");
        assertTrue(AnalysisOptions.builder().forceDiscrete("fc").build().toString().contains("fc=[INPUT, OUTPUT]"));
    }

    private static ComputationGraph recurrentGraph() {
        return TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("c1", new Convolution1DLayer.Builder(3).nOut(4).build(), "in")
                .addLayer("rnn", new SimpleRnn.Builder().nOut(5).build(), "c1")
                .addLayer("out", new RnnOutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "rnn")
                .setOutputs("out").setInputTypes(InputType.recurrent(3, 8)).build());
    }

    @Test
    void unsupportedLayersAreNamedWithTheirClassAndTheFix() {
        ComputationGraph g = recurrentGraph();
        assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(g)), "2 node(s) not supported",
                "node 'rnn' (org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn): layer type SimpleRnn is not"
                        + " supported",
                "node 'out' (org.deeplearning4j.nn.conf.layers.RnnOutputLayer)",
                "Fix: keep them discrete with AnalysisOptions.builder().keepUnsupportedDiscrete(true)",
                "or remove them from the network");
    }

    @Test
    void unsupportedLayersCanBeKeptDiscrete() {
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(recurrentGraph(), InputType.recurrent(3, 8)),
                KEEP);
        assertEquals(List.of("in.out", "c1.out", "rnn.out", "out.out"), groupNames(a));
        assertGroup(a, "c1.out", 4, false, "c1.W[0] producer", "c1.b[0] producer");
        assertCause(a.group("c1.out"), DiscreteCause.Kind.UNSUPPORTED_NODE, "rnn");
        assertGroup(a, "rnn.out", 5, false);
        assertEquals(List.of("rnn", "out"), List.copyOf(a.unsupportedNodes().keySet()));
        assertTrue(a.node("rnn").unsupportedReason().isPresent());
        assertTrue(a.continuousGroups().isEmpty());

        ChannelGroupAnalysis untyped = ChannelGroupAnalyzer.analyze(ModelView.of(recurrentGraph()), KEEP);
        assertEquals(-1, untyped.group("rnn.out").size());
        assertTrue(untyped.describe().contains("rnn.out"), untyped.describe());
    }

    @Test
    void unsupportedVertexInTheMiddleKeepsOnlyItsNeighboursDiscrete() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("c1", convIn(2, 8), "in")
                .addVertex("sub", new SubsetVertex(0, 3), "c1")
                .addLayer("c2", convIn(4, 6), "sub")
                .addLayer("c3", convIn(6, 5), "c2")
                .addLayer("gap", TestNets.gap(), "c3")
                .addLayer("out", new OutputLayer.Builder().nIn(5).nOut(2).activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build());
        assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(g)),
                "node 'sub' (org.deeplearning4j.nn.conf.graph.SubsetVertex): vertex type SubsetVertex is not supported");
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g), KEEP);
        assertEquals(List.of("in.out", "c1.out", "sub.out", "c2.out", "c3.out", "out.out"), groupNames(a));
        assertGroup(a, "c1.out", 8, false, "c1.W[0] producer", "c1.b[0] producer");
        assertGroup(a, "sub.out", 4, false, "c2.W[1] consumer");
        assertCause(a.group("sub.out"), DiscreteCause.Kind.UNSUPPORTED_NODE, "sub");
        assertTrue(a.group("c2.out").isContinuous());
        assertTrue(a.group("c3.out").isContinuous());
    }

    @Test
    void anUnsupportedPartOfAConcatenationGetsItsSizeFromTheConsumer() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("c1", convIn(2, 8), "in")
                .addVertex("sub", new SubsetVertex(0, 3), "c1")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build(), "sub")
                .addVertex("cat", new MergeVertex(), "pool", "c1")
                .addLayer("c2", convIn(12, 5), "cat")
                .setOutputs("c2").build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g), KEEP);
        assertGroup(a, "sub.out", 4, false, "c2.W[1] consumer @0/12");
        assertGroup(a, "cat.out", 12, false, "c2.W[1] consumer");
        assertGroup(a, "c1.out", 8, false, "c1.W[0] producer", "c1.b[0] producer", "c2.W[1] consumer @4/12");
    }

    private static ConvolutionLayer convIn(int nIn, int nOut) {
        return new ConvolutionLayer.Builder(3, 3).nIn(nIn).nOut(nOut).convolutionMode(ConvolutionMode.Same).build();
    }

    @Test
    void unsupportedLayerInAMultiLayerNetwork() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("c1").build())
                .layer(new LocalResponseNormalization.Builder().name("lrn").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).name("c2").build())
                .layer(TestNets.gap())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(net)),
                "node 'lrn' (org.deeplearning4j.nn.conf.layers.LocalResponseNormalization)");
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net), KEEP);
        assertFalse(a.group("c1.out").isContinuous());
        assertGroup(a, "lrn.out", 4, false, "c2.W[1] consumer");
        assertTrue(a.group("c2.out").isContinuous());
    }
}
