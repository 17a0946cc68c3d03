package org.integral4j.convert.kinds;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Pooling1D;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;

/**
 * The layer kinds Integral4J knows, and factories for new ones. {@link #DEFAULTS} is the one list
 * of supported DL4J layer classes: {@link LayerRegistry#defaults()}, and through it the analysis,
 * the converter, the exporter, the cost counts and every "unsupported" message, derive from it.
 *
 * <ul>
 *   <li><b>Convertible</b> (become integral layers, channels resampled):
 *       {@link #CONV2D}, {@link #CONV1D}, {@link #DEPTHWISE}, {@link #DENSE}, {@link #OUTPUT},
 *       {@link #BATCH_NORM}.</li>
 *   <li><b>Pass-through</b> (no parameters on the channel axis; any channel count): activation,
 *       pooling, global pooling, dropout, padding, cropping, upsampling and loss layers.</li>
 *   <li><b>Fixed channels</b> (accepted; the groups they touch stay discrete):
 *       {@code Yolo2OutputLayer}.</li>
 *   <li><b>Channels understood, no integral layer</b>: separable convolutions (permuted and
 *       resized in plain exports such as the L1 baseline; kept discrete by the integral
 *       conversion).</li>
 *   <li><b>Known, not convertible</b> (unsupported wherever they would touch a resampled group;
 *       counted in MACs): LSTMs and other recurrent layers, recurrent and centre-loss output layers,
 *       local response normalisation, space-to-depth, transposed convolutions, embeddings.</li>
 * </ul>
 */
public final class LayerKinds {

    /** {@code ConvolutionLayer}, {@code Convolution2D}. */
    public static final LayerKind CONV2D = new ConvolutionKind("CONV2D",
            List.of(ConvolutionLayer.class, Convolution2D.class));
    /** {@code Convolution1DLayer}, {@code Convolution1D}. */
    public static final LayerKind CONV1D = new Convolution1DKind("CONV1D",
            List.of(Convolution1DLayer.class, Convolution1D.class));
    /** {@code DepthwiseConvolution2D}. */
    public static final LayerKind DEPTHWISE = new DepthwiseKind("DEPTHWISE", List.of(DepthwiseConvolution2D.class));
    /** {@code DenseLayer}. */
    public static final LayerKind DENSE = dense("DENSE", DenseLayer.class);
    /** {@code OutputLayer}. */
    public static final LayerKind OUTPUT = new DenseKind("OUTPUT", List.of(OutputLayer.class), true);
    /** {@code BatchNormalization}. */
    public static final LayerKind BATCH_NORM = new BatchNormKind();
    /** {@code Yolo2OutputLayer}: the channel axis holds box and class slots. */
    public static final LayerKind YOLO2_OUTPUT = fixedChannels("YOLO2_OUTPUT", "its input channels are the box and"
            + " class slots of each anchor", Yolo2OutputLayer.class);
    /** {@code SeparableConvolution2D}: depthwise {@code W: [m, in, kH, kW]}, pointwise {@code pW: [out, in·m, 1, 1]}. */
    public static final LayerKind SEPARABLE_CONV2D = new SeparableKind();
    /** {@code LSTM}, {@code GravesLSTM} (with peepholes). */
    public static final LayerKind LSTM_KIND = notConvertible("LSTM", "a recurrent layer: its four gates read the"
            + " input and its own previous output at every time step, and Integral4J has no integral recurrent layer",
            LayerKinds::lstmMacs, LSTM.class, GravesLSTM.class);
    /** {@code GravesBidirectionalLSTM}: two LSTMs with peepholes. */
    public static final LayerKind BIDIRECTIONAL_LSTM = notConvertible("BIDIRECTIONAL_LSTM", "a recurrent layer;"
            + " Integral4J has no integral recurrent layer",
            (l, in, out) -> 2 * lstmMacs(l, in, out), GravesBidirectionalLSTM.class);
    /** {@code SimpleRnn}. */
    public static final LayerKind SIMPLE_RNN = notConvertible("SIMPLE_RNN", "a recurrent layer; Integral4J has no"
            + " integral recurrent layer", LayerKinds::simpleRnnMacs, SimpleRnn.class);
    /** {@code RnnOutputLayer}. */
    public static final LayerKind RNN_OUTPUT = notConvertible("RNN_OUTPUT", "an output layer applied at every time"
            + " step; Integral4J has no integral layer for recurrent input",
            (l, in, out) -> timeSteps(out) * denseMacs(l), RnnOutputLayer.class);
    /** {@code CenterLossOutputLayer}. */
    public static final LayerKind CENTER_LOSS_OUTPUT = notConvertible("CENTER_LOSS_OUTPUT", "its class centres"
            + " (parameter cL) live on the input axis, and Integral4J has no integral centre-loss layer",
            (l, in, out) -> denseMacs(l), CenterLossOutputLayer.class);
    /** {@code LocalResponseNormalization}. */
    public static final LayerKind LOCAL_RESPONSE_NORMALIZATION = notConvertible("LOCAL_RESPONSE_NORMALIZATION",
            "it normalises each channel by its neighbours in channel order, so its channels can be neither reordered"
                    + " nor resampled", SimpleKind.NONE, LocalResponseNormalization.class);
    /** {@code SpaceToDepthLayer}. */
    public static final LayerKind SPACE_TO_DEPTH = notConvertible("SPACE_TO_DEPTH", "it moves spatial blocks into"
            + " channels, so the channel order encodes positions", SimpleKind.NONE, SpaceToDepthLayer.class);
    /** {@code Deconvolution2D}. */
    public static final LayerKind DECONVOLUTION_2D = notConvertible("DECONVOLUTION_2D", "Integral4J has no integral"
            + " transposed convolution", LayerKinds::deconvolutionMacs, Deconvolution2D.class);
    /** {@code EmbeddingLayer}, {@code EmbeddingSequenceLayer}. */
    public static final LayerKind EMBEDDING = notConvertible("EMBEDDING", "Integral4J has no integral embedding",
            SimpleKind.NONE, EmbeddingLayer.class, EmbeddingSequenceLayer.class);

    /**
     * Nodes that are not layers (inputs and vertices) and layers no registered kind describes:
     * kept as they are; no conversion, no cost.
     */
    public static final LayerKind OTHER = new SimpleKind("OTHER", List.of(), LayerKind.Support.NOT_CONVERTIBLE,
            "not a registered layer",
            layer -> new ChannelRule.NotConvertible("its layer type is not registered"), SimpleKind.NONE);

    /** Every built-in kind: the default registry. */
    public static final List<LayerKind> DEFAULTS = List.of(CONV2D, CONV1D, DEPTHWISE, DENSE, OUTPUT, BATCH_NORM,
            passThrough("ACTIVATION", l -> Optional.empty(), ActivationLayer.class),
            passThrough("POOLING_2D", l -> Optional.of(ActivationLayout.of(((SubsamplingLayer) l).getCnn2dDataFormat())),
                    SubsamplingLayer.class, Pooling2D.class),
            passThrough("POOLING_1D", l -> Optional.empty(), Subsampling1DLayer.class, Pooling1D.class),
            passThrough("GLOBAL_POOLING", l -> ((GlobalPoolingLayer) l).isCollapseDimensions()
                    ? Optional.of(ActivationLayout.FEED_FORWARD) : Optional.empty(), GlobalPoolingLayer.class),
            passThrough("DROPOUT", l -> Optional.empty(), DropoutLayer.class),
            passThrough("PADDING_2D", l -> Optional.of(ActivationLayout.of(((ZeroPaddingLayer) l).getDataFormat())),
                    ZeroPaddingLayer.class),
            passThrough("PADDING_1D", l -> Optional.empty(), ZeroPadding1DLayer.class),
            passThrough("CROPPING_2D", l -> Optional.of(ActivationLayout.of(((Cropping2D) l).getDataFormat())),
                    Cropping2D.class),
            passThrough("CROPPING_1D", l -> Optional.empty(), Cropping1D.class),
            passThrough("UPSAMPLING_2D", l -> Optional.of(ActivationLayout.of(((Upsampling2D) l).getFormat())),
                    Upsampling2D.class),
            passThrough("UPSAMPLING_1D", l -> Optional.empty(), Upsampling1D.class),
            passThrough("LOSS", l -> Optional.empty(), LossLayer.class),
            passThrough("CNN_LOSS", l -> Optional.of(ActivationLayout.of(((CnnLossLayer) l).getFormat())),
                    CnnLossLayer.class),
            YOLO2_OUTPUT, SEPARABLE_CONV2D, LSTM_KIND, BIDIRECTIONAL_LSTM, SIMPLE_RNN, RNN_OUTPUT, CENTER_LOSS_OUTPUT,
            LOCAL_RESPONSE_NORMALIZATION, SPACE_TO_DEPTH, DECONVOLUTION_2D, EMBEDDING);

    private LayerKinds() {
    }

    /**
     * A kind for dense layers: {@code W: [in, out]} ('f'), optional {@code b: [out]}, becoming an
     * {@code IntegralDense}. For a {@code DenseLayer} subclass that computes what
     * {@code DenseLayer} computes.
     *
     * @param id      the kind's name (stored in saved models)
     * @param classes the configuration classes, each a {@link FeedForwardLayer} with DenseLayer's parameters
     * @return the kind
     */
    @SafeVarargs
    public static LayerKind dense(String id, Class<? extends FeedForwardLayer>... classes) {
        return new DenseKind(id, List.of(classes), false);
    }

    /**
     * A kind for 2-D convolutions: {@code W: [out, in, kH, kW]}, optional {@code b: [out]},
     * becoming an {@code IntegralConvolution2D}. For a {@code ConvolutionLayer} subclass that
     * computes what {@code ConvolutionLayer} computes.
     *
     * @param id      the kind's name
     * @param classes the configuration classes
     * @return the kind
     */
    @SafeVarargs
    public static LayerKind convolution(String id, Class<? extends ConvolutionLayer>... classes) {
        return new ConvolutionKind(id, List.of(classes));
    }

    /**
     * A kind for layers without parameters on the channel axis.
     *
     * @param id      the kind's name
     * @param layout  the layout of the layer's output, or empty when it is its input's
     * @param classes the configuration classes
     * @return the kind
     */
    @SafeVarargs
    public static LayerKind passThrough(String id, Function<Layer, Optional<ActivationLayout>> layout,
                                        Class<? extends Layer>... classes) {
        return new SimpleKind(id, List.of(classes), LayerKind.Support.PASS_THROUGH, "no parameters on the channel axis",
                l -> new ChannelRule.PassThrough(layout.apply(l)), SimpleKind.NONE);
    }

    /**
     * A kind for layers whose channels must stay as they are (accepted; their groups stay discrete).
     *
     * @param id      the kind's name
     * @param why     why the channels must stay as they are
     * @param classes the configuration classes
     * @return the kind
     */
    @SafeVarargs
    public static LayerKind fixedChannels(String id, String why, Class<? extends Layer>... classes) {
        return new SimpleKind(id, List.of(classes), LayerKind.Support.CHANNELS_KEPT, "channels kept: " + why,
                l -> new ChannelRule.FixedChannels(why), SimpleKind.NONE);
    }

    @SafeVarargs
    private static LayerKind notConvertible(String id, String why, SimpleKind.Cost cost,
                                            Class<? extends Layer>... classes) {
        return new SimpleKind(id, List.of(classes), LayerKind.Support.NOT_CONVERTIBLE, "not convertible: " + why,
                l -> new ChannelRule.NotConvertible(why), cost);
    }

    /** {@code in · out} of a feed-forward layer. */
    private static long denseMacs(Layer layer) {
        FeedForwardLayer f = (FeedForwardLayer) layer;
        return f.getNIn() * f.getNOut();
    }

    /** The time steps of a recurrent type (1 when unknown or not recurrent). */
    private static long timeSteps(InputType type) {
        return type instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0
                ? r.getTimeSeriesLength() : 1;
    }

    /**
     * LSTM: per time step, four gates each read the input ({@code in·out}) and the previous output
     * ({@code out·out}): {@code T · 4·out·(in + out)}; {@code GravesLSTM} adds its three peephole
     * vectors ({@code 3·out}).
     */
    private static long lstmMacs(Layer layer, InputType input, InputType output) {
        BaseRecurrentLayer r = (BaseRecurrentLayer) layer;
        long perStep = 4 * r.getNOut() * (r.getNIn() + r.getNOut());
        if (layer instanceof GravesLSTM || layer instanceof GravesBidirectionalLSTM) {
            perStep += 3 * r.getNOut();
        }
        return timeSteps(output) * perStep;
    }

    /** Simple RNN: {@code T · out·(in + out)}. */
    private static long simpleRnnMacs(Layer layer, InputType input, InputType output) {
        BaseRecurrentLayer r = (BaseRecurrentLayer) layer;
        return timeSteps(output) * r.getNOut() * (r.getNIn() + r.getNOut());
    }

    /** Transposed convolution: every input element is spread over {@code out·kH·kW} outputs. */
    private static long deconvolutionMacs(Layer layer, InputType input, InputType output) {
        Deconvolution2D d = (Deconvolution2D) layer;
        return input.arrayElementsPerExample() * d.getNOut() * d.getKernelSize()[0] * d.getKernelSize()[1];
    }
}
