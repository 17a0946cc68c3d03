package org.integral4j.convert.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.network.NetworkType;
import org.integral4j.convert.network.NodeSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelViewTest {

    @Test
    void multiLayerNetworkNodesInOrderWithKeysShapesAndPreprocessors() {
        MultiLayerNetwork net = TestNets.flattenNchw();
        ModelView view = ModelView.of(net);
        assertEquals(NetworkType.MULTI_LAYER, view.network().type());
        assertEquals(List.of("input", "conv", "fc", "out"), view.nodes().stream().map(ModelNode::name).toList());
        assertEquals(List.of("input"), view.inputNames());
        assertEquals(List.of("out"), view.outputNames());
        ModelNode input = view.node("input");
        assertEquals(NodeSpec.Kind.INPUT, input.kind());
        assertEquals(-1, input.index());
        assertTrue(input.layer().isEmpty());

        ModelNode conv = view.node("conv");
        assertEquals(NodeSpec.Kind.LAYER, conv.kind());
        assertEquals(0, conv.index());
        assertInstanceOf(ConvolutionLayer.class, conv.layer().orElseThrow());
        assertEquals(List.of("input"), conv.inputs());
        assertEquals(List.of("b", "W"), conv.paramKeys());
        assertArrayEquals(new long[] {4, 1, 3, 3}, conv.paramShape("W"));
        assertArrayEquals(new long[] {4}, conv.paramShape("b"));
        assertEquals("0_W", conv.networkParamKey("W"));
        assertTrue(conv.outputType().isEmpty());

        ModelNode fc = view.node("fc");
        assertInstanceOf(DenseLayer.class, fc.layer().orElseThrow());
        CnnToFeedForwardPreProcessor pre = (CnnToFeedForwardPreProcessor) fc.preProcessor().orElseThrow();
        assertEquals(4, pre.getNumChannels());
        assertArrayEquals(new long[] {64, 5}, fc.paramShape("W"));
        assertEquals("1_b", fc.networkParamKey("b"));
        assertEquals(List.of("fc"), view.consumers("conv"));
        assertEquals(List.of("out"), view.consumers("fc"));
        assertEquals(List.of(), view.consumers("out"));
    }

    @Test
    void paramsAreCopiesInDl4jLayout() {
        MultiLayerNetwork net = TestNets.flattenNchw();
        ModelView view = ModelView.of(net);
        INDArray w = view.param("fc", "W");
        INDArray live = net.getLayer(1).getParam("W");
        assertNotSame(live, w);
        assertEquals(live, w);
        assertEquals('f', live.ordering());
        double before = live.getDouble(0, 0);
        w.putScalar(0, 0, before + 100);
        assertEquals(before, net.getLayer(1).getParam("W").getDouble(0, 0));
        assertEquals(List.of("W", "b"), List.copyOf(view.params("fc").keySet()));
    }

    @Test
    void outputTypesWhenAnInputTypeIsGiven() {
        MultiLayerNetwork net = TestNets.sequential();
        String json = net.getLayerWiseConfigurations().toJson();
        ModelView view = ModelView.of(net, TestNets.SEQ_INPUT);
        assertTrue(view.hasOutputTypes());
        assertEquals(TestNets.SEQ_INPUT, view.node("input").outputType().orElseThrow());
        InputType.InputTypeConvolutional c1 = (InputType.InputTypeConvolutional) view.node("conv1").outputType()
                .orElseThrow();
        assertEquals(8, c1.getChannels());
        assertEquals(10, c1.getHeight());
        assertEquals(InputType.feedForward(3), view.node("out").outputType().orElseThrow());
        assertEquals(json, net.getLayerWiseConfigurations().toJson(), "the view must not modify the network");
    }

    @Test
    void computationGraphVerticesPreprocessorsAndTypes() {
        ComputationGraph g = TestNets.nhwcFlattenGraph();
        String json = g.getConfiguration().toJson();
        ModelView view = ModelView.of(g, TestNets.NHWC_INPUT);
        assertEquals(NetworkType.GRAPH, view.network().type());
        assertEquals(List.of("in", "c1", "c2", "flat", "fc", "out"), view.nodes().stream().map(ModelNode::name).toList());
        ModelNode flat = view.node("flat");
        assertEquals(NodeSpec.Kind.VERTEX, flat.kind());
        assertInstanceOf(PreprocessorVertex.class, flat.vertex().orElseThrow());
        assertEquals(CNN2DFormat.NHWC, ((CnnToFeedForwardPreProcessor) flat.preProcessor().orElseThrow()).getFormat());
        assertFalse(flat.hasParams());
        assertEquals(InputType.feedForward(100), flat.outputType().orElseThrow());
        ModelNode c2 = view.node("c2");
        assertEquals("c2_W", c2.networkParamKey("W"));
        assertEquals(g.getVertex("c2").getVertexIndex(), c2.index());
        assertEquals(List.of("c1"), c2.inputs());
        assertEquals(view.param("c2", "W"), g.getLayer("c2").getParam("W"));
        assertEquals(json, g.getConfiguration().toJson(), "the view must not modify the graph");
        assertTrue(view.toString().contains("flat (PreprocessorVertex"), view.toString());
    }

    @Test
    void graphWithoutTypesAndMergeVertex() {
        ModelView view = ModelView.of(TestNets.inception());
        assertFalse(view.hasOutputTypes());
        assertInstanceOf(MergeVertex.class, view.node("cat").vertex().orElseThrow());
        assertEquals(List.of("b1", "b2", "b3"), view.node("cat").inputs());
        assertEquals(List.of("b1", "b2", "b3"), view.consumers("stem"));
        assertTrue(view.node("cat").outputType().isEmpty());
    }

    @Test
    void duplicateOrMissingLayerNamesFallBackToIndices() {
        MultiLayerNetwork net = TestNets.init(TestNets.base().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).name("same").build())
                .layer(new DenseLayer.Builder().nOut(4).name("same").build())
                .layer(new DenseLayer.Builder().nOut(2).name("input").build())
                .setInputType(InputType.feedForward(3)).build());
        ModelView view = ModelView.of(net);
        assertEquals(List.of("_input", "0", "1", "input"), view.nodes().stream().map(ModelNode::name).toList());
        assertEquals("1_W", view.node("1").networkParamKey("W"));
    }

    @Test
    void rejectsUninitialisedNetworksAndUnknownNames() {
        MultiLayerNetwork raw = new MultiLayerNetwork(TestNets.base().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelView.of(raw));
        assertTrue(e.getMessage().contains("call net.init()"), e.getMessage());
        ModelView view = ModelView.of(TestNets.flattenNchw());
        e = assertThrows(IllegalArgumentException.class, () -> view.node("nope"));
        assertTrue(e.getMessage().contains("no node named 'nope'") && e.getMessage().contains("conv"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> view.param("conv", "gamma"));
        assertTrue(e.getMessage().contains("conv: no parameter 'gamma'"), e.getMessage());
        ComputationGraph g = TestNets.inception();
        e = assertThrows(IllegalArgumentException.class, () -> ModelView.of(g, InputType.feedForward(3),
                InputType.feedForward(3)));
        assertTrue(e.getMessage().contains("got 2 input types"), e.getMessage());
    }
}
