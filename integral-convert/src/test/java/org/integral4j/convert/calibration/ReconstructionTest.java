package org.integral4j.convert.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Residual checks of the least-squares reconstruction, in double precision. */
class ReconstructionTest {

    @Test
    void ridgeSolutionSatisfiesTheNormalEquations() {
        Random rng = new Random(1);
        int rows = 40;
        int d = 7;
        int k = 3;
        double[][] x = new double[rows][d];
        double[][] y = new double[rows][k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rng.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                y[i][j] = rng.nextGaussian();
            }
        }
        double[][] g = new double[d][d];
        double[][] h = new double[d][k];
        double[][] prior = new double[d][k];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                for (int i = 0; i < rows; i++) {
                    g[a][b] += x[i][a] * x[i][b];
                }
            }
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < rows; i++) {
                    h[a][c] += x[i][a] * y[i][c];
                }
                prior[a][c] = rng.nextGaussian();
            }
        }
        boolean[] pen = {true, true, true, true, true, true, false};
        double alpha = 0.7;
        double[][] theta = RidgeSolver.solve(g, h, prior, alpha, pen);
        // gradient of ||X T - Y||^2 + alpha ||D^(1/2)(T - T0)||^2 is 2 (G T - H + alpha D (T - T0))
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < k; c++) {
                double grad = -h[a][c] + (pen[a] ? alpha * (theta[a][c] - prior[a][c]) : 0);
                for (int b = 0; b < d; b++) {
                    grad += g[a][b] * theta[b][c];
                }
                assertEquals(0, grad, 1e-10, "normal equation " + a + "," + c);
            }
        }
    }

    @Test
    void reconstructionIsExactWhenTheTargetIsReachable() {
        // Identity activations, 3 inputs: at width 4 of 8 the hidden layer still determines the input,
        // so the next layer can reproduce the full pre-activations exactly (zero residual).
        MultiLayerNetwork src = CalibrationNets.linear();
        INDArray x = CalibrationNets.inputs(11, 64, 3);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        CalibratedNetwork c = inn.calibrate(x, CalibrationOptions.builder().ridge(0).build());
        for (LayerReport r : c.layers()) {
            assertTrue(r.residualAfter() < 1e-12, r.toString());
        }
        INDArray held = CalibrationNets.inputs(12, 16, 3);
        INDArray want = src.output(held);
        INDArray got = ((MultiLayerNetwork) c.network()).output(held);
        double rel = want.sub(got).norm2Number().doubleValue() / want.norm2Number().doubleValue();
        assertTrue(rel < 1e-7, "held-out relative error " + rel);
    }

    @Test
    void reportedResidualMatchesTheFittedNetwork() {
        // The residual computed from the normal equations equals the one measured by running the
        // calibrated layer again (dense layer: every row is used, so the two must agree).
        MultiLayerNetwork src = CalibrationNets.sequential();
        INDArray x = CalibrationNets.inputs(13, 64, 2, 10, 10);
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(src);
        inn.resize(0.5);
        CalibrationSubject s = inn.calibrationSubject();
        CalibratedNetwork c = Calibration.calibrate(s, x, CalibrationOptions.builder().batchNorm(false).build());
        LayerReport out = c.layers().get(c.layers().size() - 1);
        // recompute the output layer's pre-activation residual directly
        String id = out.id();
        INDArray in = Dl4jNetwork.of(c.network()).layerInput(id, x);
        INDArray inFull = s.full().layerInput(id, x);
        Layer l = Dl4jNetwork.of(c.network()).layer(id);
        Layer lf = s.full().layer(id);
        INDArray y = in.mmul(l.getParam("W")).addiRowVector(l.getParam("b"));
        INDArray t = inFull.mmul(lf.getParam("W")).addiRowVector(lf.getParam("b"));
        double sse = y.sub(t).norm2Number().doubleValue();
        INDArray centred = t.subRowVector(t.mean(0));
        double rel = sse * sse / Math.pow(centred.norm2Number().doubleValue(), 2);
        assertEquals(rel, out.residualAfter(), 1e-8 * Math.max(1, rel));
    }
}
