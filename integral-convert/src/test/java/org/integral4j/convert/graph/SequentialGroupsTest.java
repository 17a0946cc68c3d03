package org.integral4j.convert.graph;

import static org.integral4j.convert.graph.GroupAssertions.assertCause;
import static org.integral4j.convert.graph.GroupAssertions.assertGroup;
import static org.integral4j.convert.graph.GroupAssertions.assertRejected;
import static org.integral4j.convert.graph.GroupAssertions.groupNames;
import static org.integral4j.convert.graph.GroupAssertions.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.permutation.ChannelSlices;
import org.integral4j.convert.permutation.ChannelSlices.FlattenOrder;
import org.junit.jupiter.api.Test;

class SequentialGroupsTest {

    @Test
    void convBatchNormPoolConvDenseChain() {
        ModelView view = ModelView.of(TestNets.sequential());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view);
        assertEquals(List.of("input.out", "conv1.out", "conv2.out", "fc.out", "out.out"), groupNames(a));
        assertGroup(a, "input.out", 2, false, "conv1.W[1] consumer");
        assertGroup(a, "conv1.out", 8, true, "conv1.W[0] producer", "conv1.b[0] producer",
                "bn1.gamma[0] per_channel", "bn1.beta[0] per_channel", "bn1.mean[0] per_channel",
                "bn1.log10stdev[0] per_channel", "conv2.W[1] consumer");
        assertGroup(a, "conv2.out", 6, true, "conv2.W[0] producer", "conv2.b[0] producer", "fc.W[0] consumer");
        assertGroup(a, "fc.out", 5, true, "fc.W[1] producer", "fc.b[0] producer", "out.W[0] consumer");
        assertGroup(a, "out.out", 3, false, "out.W[1] producer", "out.b[0] producer");
        assertCause(a.group("input.out"), DiscreteCause.Kind.NETWORK_INPUT, "input");
        assertCause(a.group("out.out"), DiscreteCause.Kind.NETWORK_OUTPUT, "out");
        assertEquals(List.of("conv1"), a.group("conv1.out").producers());
        assertEquals(Map.of("input.out", 2, "conv1.out", 8, "conv2.out", 6, "fc.out", 5, "out.out", 3), a.groupSizes());

        GroupMember fcIn = member(a.group("conv2.out"), "fc", "W", 0);
        assertEquals("6_W", fcIn.networkParamKey());
        assertEquals(GroupMember.Role.CONSUMER, fcIn.role());
        assertEquals(0, fcIn.start());
        assertEquals(1, fcIn.blockLength());
        assertEquals("4_W", member(a.group("conv2.out"), "conv2", "W", 0).networkParamKey());

        NodeGroups bn1 = a.node("bn1");
        assertEquals(List.of("conv1.out"), bn1.inputGroups());
        assertEquals("conv1.out", bn1.outputGroup());
        assertTrue(bn1.isOutputContinuous());
        assertEquals(4, bn1.continuousMembers().size());
        NodeGroups conv1 = a.node("conv1");
        assertFalse(conv1.isInputContinuous(0));
        assertTrue(conv1.isOutputContinuous());
        assertEquals(List.of("conv1.W[0] producer", "conv1.b[0] producer"),
                conv1.continuousMembers().stream().map(GroupAssertions::sig).toList());
        NodeGroups pool = a.node("pool1");
        assertEquals("conv1.out", pool.outputGroup());
        assertTrue(pool.members().isEmpty());
        assertEquals("out.out", a.node("out").outputGroup());
        assertFalse(a.node("out").isOutputContinuous());
        assertTrue(a.unsupportedNodes().isEmpty());

        String table = a.describe();
        assertTrue(table.startsWith("Channel groups: 5 (3 continuous, 2 discrete)"), table);
        assertTrue(table.contains("bn1.log10stdev axis 0 (per_channel)"), table);
        assertTrue(table.contains("network output 'out'"), table);
    }

    @Test
    void graphVersionHasTheSameGroupsWithGraphKeys() {
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(TestNets.sequentialGraph()));
        assertEquals(List.of("in.out", "conv1.out", "conv2.out", "fc.out", "out.out"), groupNames(a));
        assertGroup(a, "conv1.out", 8, true, "conv1.W[0] producer", "conv1.b[0] producer",
                "bn1.gamma[0] per_channel", "bn1.beta[0] per_channel", "bn1.mean[0] per_channel",
                "bn1.log10stdev[0] per_channel", "conv2.W[1] consumer");
        assertGroup(a, "conv2.out", 6, true, "conv2.W[0] producer", "conv2.b[0] producer", "fc.W[0] consumer");
        assertEquals("conv2_W", member(a.group("conv2.out"), "conv2", "W", 0).networkParamKey());
        assertEquals("bn1_log10stdev", member(a.group("conv1.out"), "bn1", "log10stdev", 0).networkParamKey());
        assertFalse(a.group("in.out").isContinuous());
        assertFalse(a.group("out.out").isContinuous());
    }

    @Test
    void flattenIntoDenseGivesEachChannelABlockOfRows() {
        MultiLayerNetwork net = TestNets.flattenNchw();
        ModelView view = ModelView.of(net);
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(view);
        assertGroup(a, "conv.out", 4, true, "conv.W[0] producer", "conv.b[0] producer", "fc.W[0] consumer x16 blocks");
        GroupMember fc = member(a.group("conv.out"), "fc", "W", 0);
        assertEquals(FlattenOrder.CHANNEL_BLOCKS, fc.flattenOrder());
        assertEquals(64, fc.axisLength());
        assertEquals(2 * 16 + 3, fc.axisIndex(2, 3));
        ChannelSlices s = fc.toSlices(view.param("fc", "W"));
        assertEquals(4, s.channels());
        assertEquals(16, s.blockLength());
        assertEquals(0, s.axis());
        assertEquals(2 * 16 + 3, s.axisIndex(2, 3));
        assertEquals(16 * 5, s.rowLength());
    }

    @Test
    void flatImageInputIsReshapedByFeedForwardToCnn() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(3).name("fc").build())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.convolutionalFlat(5, 5, 1)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net, InputType.convolutionalFlat(5, 5, 1)));
        assertGroup(a, "input.out", 1, false, "conv.W[1] consumer");
        assertGroup(a, "conv.out", 4, true, "conv.W[0] producer", "conv.b[0] producer", "fc.W[0] consumer x9 blocks");
    }

    @Test
    void depthwiseConvolutionPassesItsInputGroupThrough() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("c1").build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(1).name("dw").build())
                .layer(TestNets.bn())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(6).name("c2").build())
                .layer(TestNets.gap())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.convolutional(9, 9, 2)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net));
        assertEquals(List.of("input.out", "c1.out", "c2.out", "layer5.out"), groupNames(a));
        assertGroup(a, "c1.out", 4, true, "c1.W[0] producer", "c1.b[0] producer", "dw.W[2] per_channel",
                "dw.b[0] per_channel", "layer2.gamma[0] per_channel", "layer2.beta[0] per_channel",
                "layer2.mean[0] per_channel", "layer2.log10stdev[0] per_channel", "c2.W[1] consumer");
        assertEquals("c1.out", a.node("dw").outputGroup());
    }

    @Test
    void depthMultiplierBecomesABlockLength() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("c1").build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).name("dw").build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(5).name("c2").build())
                .layer(new SeparableConvolution2D.Builder(3, 3).nOut(6).depthMultiplier(3)
                        .convolutionMode(ConvolutionMode.Same).name("sep").build())
                .layer(TestNets.gap())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.convolutional(12, 12, 2)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net));
        assertEquals(List.of("input.out", "c1.out", "c2.out", "sep.out", "layer5.out"), groupNames(a));
        assertGroup(a, "c1.out", 4, true, "c1.W[0] producer", "c1.b[0] producer", "dw.W[2] per_channel",
                "dw.b[0] per_channel x2 blocks", "c2.W[1] consumer x2 blocks");
        assertGroup(a, "c2.out", 5, true, "c2.W[0] producer", "c2.b[0] producer", "sep.W[1] per_channel",
                "sep.pW[1] consumer x3 blocks");
        assertGroup(a, "sep.out", 6, true, "sep.pW[0] producer", "sep.b[0] producer", "layer5.W[0] consumer");
        GroupMember c2 = member(a.group("c1.out"), "c2", "W", 1);
        assertEquals(8, c2.axisLength());
        assertEquals(3 * 2 + 1, c2.axisIndex(3, 1));
    }

    @Test
    void convolution1dUsesTheConvolutionAxes() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new Convolution1DLayer.Builder(3).nOut(4).name("c1").build())
                .layer(new Convolution1DLayer.Builder(3).nOut(5).name("c2").build())
                .layer(TestNets.gap())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.recurrent(3, 10)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net));
        assertGroup(a, "c1.out", 4, true, "c1.W[0] producer", "c1.b[0] producer", "c2.W[1] consumer");
        assertGroup(a, "c2.out", 5, true, "c2.W[0] producer", "c2.b[0] producer", "layer3.W[0] consumer");
        assertNull(member(a.group("c2.out"), "layer3", "W", 0).viaComposite());
    }

    @Test
    void channelsLastSequentialFlattenIsInterleaved() {
        InputType nhwc = InputType.convolutional(4, 4, 2, CNN2DFormat.NHWC);
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(CNN2DFormat.NHWC).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(5).name("fc").build())
                .layer(TestNets.softmax(2))
                .setInputType(nhwc).build());
        assertEquals(CNN2DFormat.NHWC, ((CnnToFeedForwardPreProcessor) net.getLayerWiseConfigurations()
                .getInputPreProcess(1)).getFormat());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net, nhwc));
        assertGroup(a, "conv.out", 3, true, "conv.W[0] producer", "conv.b[0] producer",
                "fc.W[0] consumer x16 interleaved");
        assertEquals(5 * 3 + 1, member(a.group("conv.out"), "fc", "W", 0).axisIndex(1, 5));
    }

    @Test
    void frozenLayersAreAnalysedAsTheLayerTheyWrap() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new FrozenLayer.Builder().layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                        .name("frozen").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).name("c2").build())
                .layer(TestNets.gap())
                .layer(TestNets.softmax(2))
                .setInputType(InputType.convolutional(8, 8, 1)).build());
        ChannelGroupAnalysis a = ChannelGroupAnalyzer.analyze(ModelView.of(net));
        assertGroup(a, "frozen.out", 4, true, "frozen.W[0] producer", "frozen.b[0] producer", "c2.W[1] consumer");
    }

    @Test
    void membersWithDifferentChannelCountsAreAClearError() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(8).name("c1").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(6).nOut(4).name("c2").build())
                .build());
        assertRejected(() -> ChannelGroupAnalyzer.analyze(ModelView.of(net)), "group 'c1.out'",
                "c2.W axis 1 (consumer) carries 6 channels", "c1.W axis 0 (producer) carries 8");
    }
}
