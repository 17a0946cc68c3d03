package org.integral4j.convert.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NodeSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
            parts.add(take == f.size(0) ? f.dup() : f.get(NDArrayIndex.interval(0, take)).dup());
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
    public static void validate(Dl4jNetwork network, INDArray inputs) {
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
            INDArray one = inputs.get(NDArrayIndex.interval(0, 1)).dup();
            network.output(one.castTo(network.params().dataType()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(WHERE + " of shape " + Arrays.toString(inputs.shape())
                    + " do not fit the network: " + e.getMessage(), e);
        }
    }

    private static void checkFirstLayer(Dl4jNetwork network, INDArray inputs) {
        List<String> networkInputs = network.inputNames();
        if (networkInputs.size() != 1) {
            throw new IllegalArgumentException(WHERE + ": the graph has " + networkInputs.size() + " inputs "
                    + networkInputs + "; calibration supports graphs with one input.");
        }
        List<Layer> first = new ArrayList<>();
        for (NodeSpec node : network.nodes()) {
            if (node.kind() == NodeSpec.Kind.LAYER && node.preProcessor() == null
                    && networkInputs.equals(node.inputs())) {
                first.add(node.layer());
            }
        }
        for (Layer l : first) {
            Class<?> k = l.getClass();
            if ((k == ConvolutionLayer.class || k == Convolution2D.class)
                    && l instanceof ConvolutionLayer c) {
                boolean nhwc = c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
                long channels = inputs.rank() == 4 ? inputs.size(nhwc ? 3 : 1) : -1;
                if (inputs.rank() != 4 || channels != c.getNIn()) {
                    throw new IllegalArgumentException(WHERE + " have shape " + Arrays.toString(inputs.shape())
                            + "; the network's first convolution '" + l.getLayerName() + "' reads (n, " + c.getNIn()
                            + (nhwc ? ", height, width) in NHWC order as (n, height, width, " + c.getNIn() + ")"
                            : ", height, width)") + ". Reshape the inputs (e.g. flat 784-pixel rows to (n, 1, 28, 28)).");
                }
            } else if ((k == DenseLayer.class || k == OutputLayer.class) && l instanceof FeedForwardLayer f) {
                if (inputs.rank() != 2 || inputs.size(1) != f.getNIn()) {
                    throw new IllegalArgumentException(WHERE + " have shape " + Arrays.toString(inputs.shape())
                            + "; the network's first layer '" + l.getLayerName() + "' reads (n, " + f.getNIn() + ").");
                }
            }
        }
    }
}
