package org.integral4j.convert.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.convert.network.Dl4jNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The held-out score: folds and the distortion against analytic values. */
class HeldOutScoreTest {

    @Test
    void twoFoldsEachWayRoundOrOneOnAllInputs() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 70, 3);
        List<INDArray[]> folds = HeldOutScore.folds(x, DataType.DOUBLE);
        assertEquals(2, folds.size());
        assertEquals(x.get(NDArrayIndex.interval(0, 35)), folds.get(0)[0]);
        assertEquals(x.get(NDArrayIndex.interval(35, 70)).castTo(DataType.DOUBLE), folds.get(0)[1]);
        assertEquals(x.get(NDArrayIndex.interval(35, 70)), folds.get(1)[0]);
        assertEquals(x.get(NDArrayIndex.interval(0, 35)).castTo(DataType.DOUBLE), folds.get(1)[1]);
        List<INDArray[]> one = HeldOutScore.folds(x.get(NDArrayIndex.interval(0, 40)), DataType.FLOAT);
        assertEquals(1, one.size(), "fewer than 2 x MIN_HELD_OUT inputs: one fold on all of them");
        assertEquals(40, one.get(0)[0].size(0));
        assertEquals(40, one.get(0)[1].size(0));
    }

    @Test
    void crossValidationFitsOnOneHalfAndScoresOnTheOther() {
        INDArray x = CalibrationNets.inputs(3, 80, 2, 10, 10);
        Dl4jNetwork full = Dl4jNetwork.of(CalibrationNets.sequential());
        HeldOutScore.CrossValidation cv = new HeldOutScore.CrossValidation(full, x, DataType.DOUBLE);
        assertEquals(List.of(0.0, 0.0), cv.scores(fit -> full), "the full network scores 0 on both folds");
        MultiLayerNetwork other = CalibrationNets.sequential();
        other.params().muli(0.9);
        List<INDArray> fitted = new ArrayList<>();
        List<Double> scores = cv.scores(fit -> {
            fitted.add(fit);
            return Dl4jNetwork.of(other);
        });
        assertEquals(x.get(NDArrayIndex.interval(0, 40)), fitted.get(0));
        assertEquals(x.get(NDArrayIndex.interval(40, 80)), fitted.get(1));
        assertTrue(scores.get(0) > 0 && scores.get(1) > 0, "another network scores above 0: " + scores);
    }

    @Test
    void klDivergenceForProbabilityRowsElseMeanSquaredDifference() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.5, 0.5}, {0.9, 0.1}});
        INDArray q = Nd4j.createFromArray(new double[][] {{0.25, 0.75}, {0.9, 0.1}});
        double kl = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
        assertEquals(kl / 2, HeldOutScore.distortion(p, q), 1e-15);
        assertEquals(0, HeldOutScore.distortion(p, p), 0);
        INDArray a = Nd4j.createFromArray(new double[][] {{1, -2, 3}});
        INDArray b = Nd4j.createFromArray(new double[][] {{0, -2, 5}});
        assertEquals((1 + 0 + 4) / 3.0, HeldOutScore.distortion(a, b), 1e-15);
    }
}
