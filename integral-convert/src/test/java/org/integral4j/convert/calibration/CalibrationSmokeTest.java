package org.integral4j.convert.calibration;

import org.deeplearning4j.nn.api.Model;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.L1ChannelPruner;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class CalibrationSmokeTest {

    @Test
    void smoke() {
        for (Model src : new Model[] {CalibrationNets.sequential(), CalibrationNets.graph()}) {
            boolean graph = src instanceof org.deeplearning4j.nn.graph.ComputationGraph;
            INDArray x = graph ? CalibrationNets.inputs(3, 64, 3, 8, 8) : CalibrationNets.inputs(3, 64, 2, 10, 10);
            IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
            inn.resize(0.5);
            INDArray full = NetworkAccess.output(src, x);
            for (CalibrationOptions o : new CalibrationOptions[] {CalibrationOptions.none(),
                    CalibrationOptions.builder().reconstruction(false).build(), CalibrationOptions.defaults(),
                    CalibrationOptions.builder().gridTuning(true).build()}) {
                CalibratedNetwork c = inn.calibrate(x, o);
                INDArray out = NetworkAccess.output(c.network(), x);
                System.out.println(o.label() + " " + org.integral4j.convert.budget.BudgetSearchAccess.kl(full, out)
                        + " " + c.layers());
            }
            L1ChannelPruner l1 = L1ChannelPruner.builder().build();
            for (CalibrationOptions o : new CalibrationOptions[] {CalibrationOptions.none(), CalibrationOptions.defaults()}) {
                CalibratedNetwork c = Calibration.calibrateL1(l1, src, l1.uniformSizes(src, 0.5), x, o);
                INDArray out = NetworkAccess.output(c.network(), x);
                System.out.println("L1 " + o.label() + " " + org.integral4j.convert.budget.BudgetSearchAccess.kl(full, out));
            }
        }
    }
}
