package org.integral4j.convert.graph;

import static org.integral4j.convert.graph.GroupAssertions.assertCause;
import static org.integral4j.convert.graph.GroupAssertions.assertGroup;
import static org.integral4j.convert.graph.GroupAssertions.groupNames;
import static org.integral4j.convert.graph.GroupAssertions.member;
import static org.integral4j.convert.graph.GroupAssertions.sigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GraphGroupsTest {

    /** Biases given to the channels before a flatten; channel c is recognisable by its value. */
    private static final double[] CHANNEL_VALUES = {1, 10, 100, 1000};

    /**
     * Makes the flattened layer emit {@link #CHANNEL_VALUES}[c] at every position of channel c,
     * selects the dense rows the member assigns to channel c0, and checks that the dense output
     * is exactly (positions) x value(c0): the member's index map is DL4J's flatten order.
     */
    private static void assertRowsBelongTo(GroupMember fcIn, INDArray denseW, INDArray denseB, int c0,
                                           java.util.function.Supplier<INDArray> denseOutput) {
        denseW.assign(0);
        denseB.assign(0);
        for (int p = 0; p < fcIn.blockLength(); p++) {
            denseW.putScalar(fcIn.axisIndex(c0, p), 0, 1.0);
        }
        INDArray y = denseOutput.get();
        assertEquals(fcIn.blockLength() * CHANNEL_VALUES[c0], y.getDouble(0, 0), 1e-3 * CHANNEL_VALUES[c0],
                "channel " + c0 + " rows " + fcIn);
    }

    @Test
    void nhwcFlattenInterleavesChannels() {
        ComputationGraph g = TestNets.nhwcFlattenGraph();
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g));
        assertEquals(List.of("in.out", "c1.out", "c2.out", "fc.out", "out.out"), groupNames(a));
        assertGroup(a, "c1.out", 3, true, "c1.W[0] producer", "c1.b[0] producer", "c2.W[1] consumer");
        assertGroup(a, "c2.out", 4, true, "c2.W[0] producer", "c2.b[0] producer", "fc.W[0] consumer x25 interleaved");
        GroupMember fc = member(a.group("c2.out"), "fc", "W", 0);
        assertEquals(FlattenOrder.INTERLEAVED, fc.flattenOrder());
        assertEquals(7 * 4 + 2, fc.axisIndex(2, 7));
        ChannelSlices s = fc.toSlices(ModelView.of(g).param("fc", "W"));
        assertEquals(FlattenOrder.INTERLEAVED, s.flattenOrder());
        assertEquals(7 * 4 + 2, s.axisIndex(2, 7));
        assertEquals("flat", a.node("flat").node());
        assertEquals("c2.out", a.node("flat").outputGroup());

        g.getLayer("c2").getParam("W").assign(0);
        g.getLayer("c2").getParam("b").assign(Nd4j.createFromArray(CHANNEL_VALUES).castTo(
                g.getLayer("c2").getParam("b").dataType()));
        INDArray x = Nd4j.rand(g.getLayer("c2").getParam("b").dataType(), 1, 5, 5, 2);
        for (int c0 = 0; c0 < 4; c0++) {
            assertRowsBelongTo(fc, g.getLayer("fc").getParam("W"), g.getLayer("fc").getParam("b"), c0,
                    () -> g.feedForward(x, false).get("fc"));
        }
    }

    @Test
    void nchwFlattenBlocksMatchDl4j() {
        MultiLayerNetwork net = TestNets.flattenNchw();
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net));
        GroupMember fc = member(a.group("conv.out"), "fc", "W", 0);
        net.getLayer(0).getParam("W").assign(0);
        net.getLayer(0).getParam("b").assign(Nd4j.createFromArray(CHANNEL_VALUES).castTo(
                net.getLayer(0).getParam("b").dataType()));
        INDArray x = Nd4j.rand(net.getLayer(0).getParam("b").dataType(), 1, 1, 6, 6);
        for (int c0 = 0; c0 < 4; c0++) {
            assertRowsBelongTo(fc, net.getLayer(1).getParam("W"), net.getLayer(1).getParam("b"), c0,
                    () -> net.feedForward(x, false).get(2));
        }
    }

    @Test
    void identityResidualTiesBothBranchesIntoOneGroup() {
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(TestNets.resnetBlock(false)));
        assertEquals(List.of("in.out", "stem.out", "c1.out", "out.out"), groupNames(a));
        assertGroup(a, "stem.out", 8, true, "stem.W[0] producer", "stem.b[0] producer",
                "bn0.gamma[0] per_channel", "bn0.beta[0] per_channel", "bn0.mean[0] per_channel",
                "bn0.log10stdev[0] per_channel", "c1.W[1] consumer", "c2.W[0] producer", "c2.b[0] producer",
                "bn2.gamma[0] per_channel", "bn2.beta[0] per_channel", "bn2.mean[0] per_channel",
                "bn2.log10stdev[0] per_channel", "out.W[0] consumer");
        assertEquals(List.of("stem", "c2"), a.group("stem.out").producers());
        assertGroup(a, "c1.out", 8, true, "c1.W[0] producer", "c1.b[0] producer", "bn1.gamma[0] per_channel",
                "bn1.beta[0] per_channel", "bn1.mean[0] per_channel", "bn1.log10stdev[0] per_channel",
                "c2.W[1] consumer");
        NodeGroups add = a.node("add");
        assertEquals(List.of("stem.out", "stem.out"), add.inputGroups());
        assertEquals("stem.out", add.outputGroup());
        assertEquals("stem.out", a.node("c2").outputGroup());
    }

    @Test
    void projectionShortcutTiesTheProjectionToTheMainBranch() {
        ComputationGraph g = TestNets.resnetBlock(true);
        ModelView view = ModelView.of(g);
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view);
        List<String> order = view.nodes().stream().map(ModelNode::name).toList();
        String tied = order.indexOf("c2") < order.indexOf("proj") ? "c2.out" : "proj.out";
        assertEquals(List.of("in.out", "stem.out", "c1.out", tied, "out.out"), groupNames(a));
        assertEquals(set("stem.W[0] producer", "stem.b[0] producer", "bn0.gamma[0] per_channel",
                "bn0.beta[0] per_channel", "bn0.mean[0] per_channel", "bn0.log10stdev[0] per_channel",
                "c1.W[1] consumer", "proj.W[1] consumer"), new TreeSet<>(sigs(a.group("stem.out"))));
        assertEquals(set("c2.W[0] producer", "c2.b[0] producer", "bn2.gamma[0] per_channel",
                "bn2.beta[0] per_channel", "bn2.mean[0] per_channel", "bn2.log10stdev[0] per_channel",
                "proj.W[0] producer", "proj.b[0] producer", "bnp.gamma[0] per_channel", "bnp.beta[0] per_channel",
                "bnp.mean[0] per_channel", "bnp.log10stdev[0] per_channel", "out.W[0] consumer"),
                new TreeSet<>(sigs(a.group(tied))));
        assertEquals(16, a.group(tied).size());
        assertEquals(set("c2", "proj"), new TreeSet<>(a.group(tied).producers()));
        assertTrue(a.group(tied).isContinuous());
        assertEquals(16, a.group("c1.out").size());
    }

    @Test
    void concatenationIsACompositeGroupWithOrderedParts() {
        ComputationGraph g = TestNets.inception();
        ModelView view = ModelView.of(g);
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view);
        List<String> order = view.nodes().stream().map(ModelNode::name).toList();
        List<String> expected = new ArrayList<>(List.of("in.out", "stem.out"));
        expected.addAll(order.indexOf("b1") < order.indexOf("b2") ? List.of("b1.out", "b2.out")
                : List.of("b2.out", "b1.out"));
        expected.addAll(List.of("cat.out", "c.out", "out.out"));
        assertEquals(expected, groupNames(a));

        ChannelGroupSpec cat = a.group("cat.out");
        assertTrue(cat.isComposite());
        assertEquals(List.of("b1.out", "b2.out", "stem.out"), cat.parts());
        assertEquals(12, cat.size());
        assertEquals(List.of("cat"), cat.producers());
        assertEquals(List.of("c.W[1] consumer"), sigs(cat));
        assertTrue(cat.isContinuous());

        assertGroup(a, "b1.out", 3, true, "b1.W[0] producer", "b1.b[0] producer", "c.W[1] consumer @0/12");
        assertGroup(a, "b2.out", 5, true, "b2.W[0] producer", "b2.b[0] producer", "c.W[1] consumer @3/12");
        assertGroup(a, "stem.out", 4, true, "stem.W[0] producer", "stem.b[0] producer", "b1.W[1] consumer",
                "b2.W[1] consumer", "c.W[1] consumer @8/12");
        GroupMember part = member(a.group("stem.out"), "c", "W", 1);
        assertEquals("cat.out", part.viaComposite());
        assertEquals(8, part.start());
        assertEquals(4, part.channels());
        assertEquals(12, part.axisChannels());
        assertEquals(10, part.axisIndex(2, 0));
        ChannelSlices s = part.toSlices(view.param("c", "W"));
        assertEquals(8, s.start());
        assertEquals(4, s.channels());
        assertEquals(12, s.end());

        NodeGroups c = a.node("c");
        assertEquals(List.of("cat.out"), c.inputGroups());
        assertEquals(List.of("c.W[1] consumer", "c.W[0] producer", "c.b[0] producer"),
                c.members().stream().map(GroupAssertions::sig).toList());
        assertEquals(List.of("b1.out", "b2.out", "stem.out"), a.node("cat").inputGroups());
    }

    @Test
    void concatenationFlattenedIntoDenseOffsetsTheBlocks() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("a", TestNets.conv(3, 3), "in")
                .addLayer("b", TestNets.conv(3, 4), "in")
                .addVertex("cat", new MergeVertex(), "a", "b")
                .addLayer("fc", new DenseLayer.Builder().nOut(5).build(), "cat")
                .addLayer("out", TestNets.softmax(2), "fc")
                .setOutputs("out").setInputTypes(InputType.convolutional(4, 4, 3)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g));
        assertGroup(a, "cat.out", 7, true, "fc.W[0] consumer x16 blocks");
        assertGroup(a, "a.out", 3, true, "a.W[0] producer", "a.b[0] producer", "fc.W[0] consumer @0/7 x16 blocks");
        assertGroup(a, "b.out", 4, true, "b.W[0] producer", "b.b[0] producer", "fc.W[0] consumer @3/7 x16 blocks");
        GroupMember b = member(a.group("b.out"), "fc", "W", 0);
        assertEquals(48, b.start());
        assertEquals((3 + 1) * 16 + 2, b.axisIndex(1, 2));
        assertEquals(112, b.axisLength());
    }

    @Test
    void residualAddFedByTheNetworkInputIsDiscrete() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("c1", TestNets.conv(3, 4), "in")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "in", "c1")
                .addLayer("c2", TestNets.conv(3, 5), "add")
                .addLayer("gap", TestNets.gap(), "c2")
                .addLayer("out", TestNets.softmax(2), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 4)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g));
        assertEquals(List.of("in.out", "c2.out", "out.out"), groupNames(a));
        assertGroup(a, "in.out", 4, false, "c1.W[1] consumer", "c1.W[0] producer", "c1.b[0] producer",
                "c2.W[1] consumer");
        assertCause(a.group("in.out"), DiscreteCause.Kind.NETWORK_INPUT, "in");
        assertEquals(List.of("in", "c1"), a.group("in.out").producers());
        assertFalse(a.node("c1").isOutputContinuous());
        assertTrue(a.node("c2").isOutputContinuous());
        assertFalse(a.node("c2").isInputContinuous(0));
    }

    @Test
    void addingTwoConcatenationsTiesTheirPartsPairwise() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("a", TestNets.conv(3, 2), "in")
                .addLayer("b", TestNets.conv(3, 3), "in")
                .addLayer("c", TestNets.conv(1, 2), "in")
                .addLayer("d", TestNets.conv(1, 3), "in")
                .addVertex("cat1", new MergeVertex(), "a", "b")
                .addVertex("cat2", new MergeVertex(), "c", "d")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "cat1", "cat2")
                .addLayer("e", TestNets.conv(3, 4), "add")
                .addLayer("gap", TestNets.gap(), "e")
                .addLayer("out", TestNets.softmax(2), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(5, 5, 3)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g));
        assertEquals(List.of("in.out", "a.out", "b.out", "cat1.out", "e.out", "out.out"), groupNames(a));
        assertEquals(set("a.W[0] producer", "a.b[0] producer", "c.W[0] producer", "c.b[0] producer",
                "e.W[1] consumer @0/5"), new TreeSet<>(sigs(a.group("a.out"))));
        assertEquals(set("b.W[0] producer", "b.b[0] producer", "d.W[0] producer", "d.b[0] producer",
                "e.W[1] consumer @2/5"), new TreeSet<>(sigs(a.group("b.out"))));
        ChannelGroupSpec cat = a.group("cat1.out");
        assertEquals(List.of("a.out", "b.out"), cat.parts());
        assertEquals(set("cat1", "cat2"), new TreeSet<>(cat.producers()));
        assertEquals(List.of("e.W[1] consumer"), sigs(cat));
        assertEquals(List.of("cat1.out", "cat1.out"), a.node("add").inputGroups());
    }

    @Test
    void addingAConcatenationToAPlainActivationIsUnsupported() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("a", TestNets.conv(3, 2), "in")
                .addLayer("b", TestNets.conv(3, 3), "in")
                .addLayer("c", TestNets.conv(3, 5), "in")
                .addVertex("cat", new MergeVertex(), "a", "b")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "cat", "c")
                .addLayer("gap", TestNets.gap(), "add")
                .addLayer("out", TestNets.softmax(2), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(5, 5, 3)).build());
        GroupAssertions.assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(g)), "node 'add'",
                "element-wise Add of a concatenation and a non-concatenated activation");
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g),
                AnalysisOptions.builder().keepUnsupportedDiscrete(true).build());
        for (String name : List.of("a.out", "b.out", "c.out", "cat.out", "add.out")) {
            assertFalse(a.group(name).isContinuous(), name);
        }
        assertGroup(a, "add.out", 5, false, "out.W[0] consumer");
    }

    @Test
    void concatenationWithTheNetworkInputStaysDiscrete() {
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("c1", TestNets.conv(3, 4), "in")
                .addVertex("cat", new MergeVertex(), "in", "c1")
                .addLayer("c2", TestNets.conv(3, 5), "cat")
                .addLayer("gap", TestNets.gap(), "c2")
                .addLayer("out", TestNets.softmax(2), "gap")
                .setOutputs("out").setInputTypes(InputType.convolutional(5, 5, 3)).build());
        GroupAssertions.assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(g)), "node 'cat'",
                "layout of its inputs is unknown", "ModelView.of(graph, inputTypes)");
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(g, InputType.convolutional(5, 5, 3)));
        assertGroup(a, "cat.out", 7, false, "c2.W[1] consumer");
        assertEquals(List.of("in.out", "c1.out"), a.group("cat.out").parts());
        assertCause(a.group("c1.out"), DiscreteCause.Kind.CONCATENATED_WITH_DISCRETE, "cat");
        assertGroup(a, "c1.out", 4, false, "c1.W[0] producer", "c1.b[0] producer", "c2.W[1] consumer @3/7");
        assertTrue(a.group("c2.out").isContinuous());
    }

    @Test
    void mergeOnANonChannelAxisIsUnsupported() {
        MergeVertex alongHeight = new MergeVertex();
        alongHeight.setMergeAxis(2);
        ComputationGraph g = TestNets.init(TestNets.base().graphBuilder().addInputs("in")
                .addLayer("a", convIn(2, 3), "in")
                .addLayer("b", convIn(2, 3), "in")
                .addVertex("cat", alongHeight, "a", "b")
                .addLayer("c", convIn(3, 4), "cat")
                .addLayer("d", convIn(4, 4), "c")
                .setOutputs("d").build());
        ModelView view = ModelView.of(g);
        GroupAssertions.assertRejected(() -> ChannelGroupAnalyzer.analyze(view), "node 'cat'",
                "(org.deeplearning4j.nn.conf.graph.MergeVertex)", "along axis 2, not along the channel axis 1",
                "keepUnsupportedDiscrete(true)", "or remove them");
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view,
                AnalysisOptions.builder().keepUnsupportedDiscrete(true).build());
        assertEquals(List.of("in.out", "a.out", "b.out", "cat.out", "c.out", "d.out"), groupNames(a));
        assertGroup(a, "a.out", 3, false, "a.W[0] producer", "a.b[0] producer");
        assertCause(a.group("a.out"), DiscreteCause.Kind.UNSUPPORTED_NODE, "cat");
        assertCause(a.group("b.out"), DiscreteCause.Kind.UNSUPPORTED_NODE, "cat");
        assertGroup(a, "cat.out", 3, false, "c.W[1] consumer");
        assertFalse(a.group("cat.out").isComposite());
        assertGroup(a, "c.out", 4, true, "c.W[0] producer", "c.b[0] producer", "d.W[1] consumer");
        assertTrue(a.node("cat").unsupportedReason().orElseThrow().contains("axis 2"));
        assertEquals(List.of("cat"), List.copyOf(a.unsupportedNodes().keySet()));
        assertTrue(a.describe().contains("unsupported nodes kept discrete: [cat]"), a.describe());
    }

    private static ConvolutionLayer convIn(int nIn, int nOut) {
        return new ConvolutionLayer.Builder(3, 3).nIn(nIn).nOut(nOut).convolutionMode(ConvolutionMode.Same).build();
    }

    private static Set<String> set(String... s) {
        return new TreeSet<>(List.of(s));
    }
}
