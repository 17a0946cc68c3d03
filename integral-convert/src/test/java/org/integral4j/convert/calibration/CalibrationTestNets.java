package org.integral4j.convert.calibration;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Public access to the calibration test networks for tests in other packages. */
public final class CalibrationTestNets {

    private CalibrationTestNets() {
    }

    /** @return {@link CalibrationNets#sequential()} */
    public static MultiLayerNetwork sequential() {
        return CalibrationNets.sequential();
    }

    /** @return {@link CalibrationNets#graph()} */
    public static ComputationGraph graph() {
        return CalibrationNets.graph();
    }

    /**
     * The input type of a test network.
     *
     * @param net one of the networks
     * @return its input type
     */
    public static InputType inputType(Model net) {
        return net instanceof ComputationGraph ? InputType.convolutional(8, 8, 3) : InputType.convolutional(10, 10, 2);
    }

    /**
     * Random inputs for a test network.
     *
     * @param net  one of the networks
     * @param seed seed
     * @param n    examples
     * @return inputs
     */
    public static INDArray inputsFor(Model net, long seed, int n) {
        return net instanceof ComputationGraph ? CalibrationNets.inputs(seed, n, 3, 8, 8)
                : CalibrationNets.inputs(seed, n, 2, 10, 10);
    }
}
