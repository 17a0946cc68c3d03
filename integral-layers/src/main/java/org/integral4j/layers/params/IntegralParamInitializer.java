package org.integral4j.layers.params;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.layers.conf.IntegralLayerConf;
import org.integral4j.layers.conf.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameter layout of every integral layer: the {@link ParamSpec}s of its configuration,
 * one after another in the flat parameter vector, each a 'c'-ordered view.
 *
 * <p>Initialisation from scratch: a weight is drawn with the layer's DL4J weight init on its full
 * discrete shape and then turned into knot values by the right inverse of its weight function,
 * so that the sampled weight at full size is exactly the DL4J-initialised weight (and its scale
 * accounts for the quadrature). Biases start at the bias init, batch-norm scale and shift at
 * their configured values, running statistics at their neutral values.
 */
public final class IntegralParamInitializer implements ParamInitializer {

    /** The initializer; it has no state. */
    public static final IntegralParamInitializer INSTANCE = new IntegralParamInitializer();

    private IntegralParamInitializer() {
    }

    private static IntegralLayerConf conf(Layer layer) {
        if (!(layer instanceof IntegralLayerConf c)) {
            throw new IllegalArgumentException("IntegralParamInitializer only serves integral layers, got "
                    + layer.getClass().getName());
        }
        return c;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (ParamSpec p : conf(layer).parameters()) {
            n += p.length();
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (ParamSpec p : conf(layer).parameters()) {
            keys.add(p.key());
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (ParamSpec p : conf(layer).parameters()) {
            if (p.role() == ParamSpec.Role.WEIGHT || p.role() == ParamSpec.Role.GAMMA) {
                keys.add(p.key());
            }
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (ParamSpec p : conf(layer).parameters()) {
            if (p.role() == ParamSpec.Role.BIAS || p.role() == ParamSpec.Role.BETA) {
                keys.add(p.key());
            }
        }
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        IntegralLayerConf layer = conf(conf.getLayer());
        layer.validate();
        Map<String, INDArray> views = slice(layer, paramsView);
        for (ParamSpec p : layer.parameters()) {
            if (initializeParams) {
                INDArray view = views.get(p.key());
                view.assign(initialValues(layer, p, view.dataType()));
            }
            conf.addVariable(p.key());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return slice(conf(conf.getLayer()), gradientView);
    }

    private static Map<String, INDArray> slice(IntegralLayerConf layer, INDArray flatView) {
        INDArray flat = flatView.reshape(flatView.length());
        Map<String, INDArray> views = Collections.synchronizedMap(new LinkedHashMap<>());
        long offset = 0;
        for (ParamSpec p : layer.parameters()) {
            long n = p.length();
            views.put(p.key(), flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape()));
            offset += n;
        }
        if (offset != flat.length()) {
            throw new IllegalStateException(layer.describe() + ": the parameter view has " + flat.length()
                    + " values, the parameters need " + offset + ".");
        }
        return views;
    }

    private static INDArray initialValues(IntegralLayerConf layer, ParamSpec p, DataType type) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            long[] full = p.isFunction() ? p.function().weightShape() : p.shape();
            INDArray discrete;
            switch (p.role()) {
                case WEIGHT:
                    discrete = layer.getWeightInitFn().init(layer.fanIn(), layer.fanOut(), full, 'c',
                            Nd4j.createUninitialized(type, full, 'c'));
                    break;
                case BIAS:
                    discrete = Nd4j.valueArrayOf(full, layer.getBiasInit(), type);
                    break;
                default:
                    discrete = Nd4j.valueArrayOf(full, layer.initialValue(p), type);
                    break;
            }
            return p.isFunction() ? p.function().rightInverse(discrete) : discrete;
        }
    }
}
