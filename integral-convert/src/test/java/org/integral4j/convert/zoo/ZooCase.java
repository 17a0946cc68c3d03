package org.integral4j.convert.zoo;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.ZooModel;
import org.integral4j.convert.network.Dl4jNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model of DL4J's zoo as the zoo test builds it: small input, random weights, double precision.
 *
 * @param name            the zoo class name
 * @param model           builds the zoo model (not yet initialised)
 * @param inputType       the network input type the model was built for
 * @param needsKeepOption whether the conversion needs {@code keepUnsupportedDiscrete(true)} (its
 *                        unsupported layers are listed by the analysis otherwise)
 */
record ZooCase(String name, Supplier<ZooModel> model, InputType inputType, boolean needsKeepOption) {

    /**
     * @return the network, initialised, in double precision, batch norms with non-trivial
     *         statistics, softmax outputs replaced by the logits
     */
    Dl4jNetwork network() {
        Model m = model().get().init();
        Dl4jNetwork net = Dl4jNetwork.of(m).convertDataType(DataType.DOUBLE);
        ZooNets.randomizeBatchNorms(net);
        ZooNets.batchNormStatistics(net, input(4, 11));
        ZooNets.logitsOut(net);
        return net;
    }

    /**
     * @param batch examples
     * @param seed  random seed
     * @return inputs in [-1, 1] of the network's input shape
     */
    INDArray input(int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] shape;
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            shape = new long[] {batch, c.getChannels(), c.getHeight(), c.getWidth()};
        } else if (inputType instanceof InputType.InputTypeConvolutionalFlat f) {
            shape = new long[] {batch, f.getFlattenedSize()};
        } else if (inputType instanceof InputType.InputTypeRecurrent r) {
            shape = new long[] {batch, r.getSize(), r.getTimeSeriesLength()};
        } else {
            shape = new long[] {batch, inputType.arrayElementsPerExample()};
        }
        return Nd4j.rand(DataType.DOUBLE, shape).muli(2).subi(1);
    }

    @Override
    public String toString() {
        return name;
    }
}
