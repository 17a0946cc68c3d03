package org.integral4j.convert.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Calibration inputs: collected from a {@link DataSetIterator} (labels ignored) and checked against
 * a network (not empty, finite, the shape the network reads), with errors that say what was
 * expected, what came, and how to fix it.
 */
public final class CalibrationInputs {

    private static final String WHERE = "calibration inputs";

    private CalibrationInputs() {
    }

    /**
     * The features of the first {@code max} examples of an iterator, labels ignored. The iterator
     * is reset first when it supports it (and left where it stopped).
     *
     * @param it  the iterator (advanced)
     * @param max the most examples, at least 1
     * @return features {@code (n, ...)}, {@code n <= max}
     * @throws IllegalArgumentException when the iterator yields nothing
     */
    public static INDArray collect(DataSetIterator it, int max) {
        if (it == null) {
            throw new IllegalArgumentException(WHERE + ": the iterator is null.");
        }
        if (max < 1) {
            throw new IllegalArgumentException(WHERE + ": max must be at least 1, got " + max + ".");
        }
        if (it.resetSupported()) {
            it.reset();
        }
        List<INDArray> parts = new ArrayList<>();
        long n = 0;
        while (n < max && it.hasNext()) {
            DataSet ds = it.next();
            INDArray f = ds.getFeatures();
            if (f == null || f.size(0) == 0) {
                continue;
            }
            long take = Math.min(f.size(0), max - n);
            parts.add(take == f.size(0) ? f.dup() : f.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, take)).dup());
            n += take;
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(WHERE + ": the iterator gave no examples; pass a non-empty iterator "
                    + "(labels are ignored).");
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /**
     * Checks inputs against a plain or integral network: not null, at least one example, every
     * value finite, and the rank and channel count the network's first layer reads (then one
     * forward pass of one example as the final check).
     *
     * @param network the network (not modified)
     * @param inputs  the inputs {@code (n, ...)} (not modified)
     * @throws IllegalArgumentException with the expected and actual shape or the first bad value
     */
    public static void validate(Model network, INDArray inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException(WHERE + " are null; pass an INDArray (n, ...) of unlabeled inputs.");
        }
        if (inputs.rank() < 2 || inputs.isEmpty() || inputs.size(0) == 0) {
            throw new IllegalArgumentException(WHERE + " are empty (shape " + Arrays.toString(inputs.shape())
                    + "); pass at least one example, e.g. 512 images (n, channels, height, width).");
        }
        double[] values = inputs.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            long perExample = values.length / inputs.size(0);
            throw new IllegalArgumentException(WHERE + " contain " + bad + " non-finite value(s) (NaN or infinite); "
                    + "the first is " + values[first] + " in example " + first / perExample + " at flat offset "
                    + first % perExample + ". Remove or repair those examples.");
        }
        checkFirstLayer(network, inputs);
        try {
            INDArray one = inputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
            NetworkAccess.output(network, one.castTo(network.params().dataType()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(WHERE + " of shape " + Arrays.toString(inputs.shape())
                    + " do not fit the network: " + e.getMessage(), e);
        }
    }

    private static void checkFirstLayer(Model network, INDArray inputs) {
        List<Layer> first = new ArrayList<>();
        if (network instanceof MultiLayerNetwork m) {
            if (m.getLayerWiseConfigurations().getInputPreProcess(0) != null) {
                return;
            }
            first.add(m.getLayerWiseConfigurations().getConf(0).getLayer());
        } else {
            ComputationGraphConfiguration conf = ((ComputationGraph) network).getConfiguration();
            if (conf.getNetworkInputs().size() != 1) {
                throw new IllegalArgumentException(WHERE + ": the graph has " + conf.getNetworkInputs().size()
                        + " inputs " + conf.getNetworkInputs() + "; calibration supports graphs with one input.");
            }
            String input = conf.getNetworkInputs().get(0);
            for (java.util.Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
                if (e.getValue() instanceof LayerVertex lv && lv.getPreProcessor() == null
                        && List.of(input).equals(conf.getVertexInputs().get(e.getKey()))) {
                    first.add(lv.getLayerConf().getLayer());
                }
            }
        }
        for (Layer l : first) {
            Class<?> k = l.getClass();
            if ((k == ConvolutionLayer.class || k == org.deeplearning4j.nn.conf.layers.Convolution2D.class)
                    && l instanceof ConvolutionLayer c) {
                boolean nhwc = c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
                long channels = inputs.rank() == 4 ? inputs.size(nhwc ? 3 : 1) : -1;
                if (inputs.rank() != 4 || channels != c.getNIn()) {
                    throw new IllegalArgumentException(WHERE + " have shape " + Arrays.toString(inputs.shape())
                            + "; the network's first convolution '" + l.getLayerName() + "' reads (n, " + c.getNIn()
                            + (nhwc ? ", height, width) in NHWC order as (n, height, width, " + c.getNIn() + ")"
                            : ", height, width)") + ". Reshape the inputs (e.g. flat 784-pixel rows to (n, 1, 28, 28)).");
                }
            } else if ((k == org.deeplearning4j.nn.conf.layers.DenseLayer.class
                    || k == org.deeplearning4j.nn.conf.layers.OutputLayer.class) && l instanceof FeedForwardLayer f) {
                if (inputs.rank() != 2 || inputs.size(1) != f.getNIn()) {
                    throw new IllegalArgumentException(WHERE + " have shape " + Arrays.toString(inputs.shape())
                            + "; the network's first layer '" + l.getLayerName() + "' reads (n, " + f.getNIn() + ").");
                }
            }
        }
    }
}
