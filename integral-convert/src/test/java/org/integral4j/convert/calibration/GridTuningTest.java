package org.integral4j.convert.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.layers.conf.Freeze;
import org.integral4j.layers.grid.ChannelGroup;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Grid tuning by distillation: the gradient it follows, checked by central differences in double. */
class GridTuningTest {

    @Test
    void distillationGradientOfGridPointsMatchesCentralDifferences() {
        // Training mode (as in fit): the integral batch norm normalises with minibatch statistics.
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = CalibrationNets.inputs(21, 16, 2, 10, 10);
        INDArray targets = src.output(x);
        IntegralModel work = IntegralWrapper.builder().build().wrapModel(src);
        work.resize(0.6);
        work.gridTuning(Freeze.ALL, 1e-3);
        MultiLayerNetwork net = work.multiLayerNetwork();
        net.setListeners();
        DataSet ds = new DataSet(x, targets);
        net.setInput(x);
        net.setLabels(targets);
        net.computeGradientAndScore();
        int checked = 0;
        for (String name : work.groupNames()) {
            ChannelGroup g = work.groups().get(name);
            double[] grad = g.takeGridGradient();
            int n = g.size();
            for (int i = 1; i < n - 1; i++) {
                double h = 1e-6;
                double[] delta = new double[n];
                delta[i] = h;
                g.stepGridInPlace(delta);
                double plus = net.score(ds, true);
                delta[i] = -2 * h;
                g.stepGridInPlace(delta);
                double minus = net.score(ds, true);
                delta[i] = h;
                g.stepGridInPlace(delta);
                // score is the mean over the minibatch; layers accumulate the gradient of the sum
                double numeric = (plus - minus) / (2 * h) * x.size(0);
                double analytic = grad[i];
                double rel = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
                assertTrue(rel < 1e-5 || Math.abs(numeric - analytic) < 1e-9,
                        name + "[" + i + "]: analytic " + analytic + ", numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 10, "checked " + checked + " points");
    }

    @Test
    void tuningLowersTheDistillationLossWithFrozenWeights() {
        // The graph's batch norms are folded, so training and inference mode compute the same loss.
        org.deeplearning4j.nn.graph.ComputationGraph src = CalibrationNets.graph();
        INDArray x = CalibrationNets.inputs(22, 48, 3, 8, 8);
        INDArray targets = src.outputSingle(x);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        IntegralModel work = inn.copy();
        double before = work.computationGraph().score(new DataSet(x, targets), false);
        INDArray params = work.network().params().dup();
        GridTuner.tune(work, x, targets, CalibrationOptions.builder().tuning(3, 16, 5e-3).build());
        double after = work.computationGraph().score(new DataSet(x, targets), false);
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertTrue(params.equals(work.network().params()), "weights must stay frozen");
    }
}
