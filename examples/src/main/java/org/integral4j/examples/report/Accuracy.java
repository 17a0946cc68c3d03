package org.integral4j.examples.report;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/** Test accuracy of a classifier on an in-memory data set, evaluated in chunks. */
public final class Accuracy {

    private static final int CHUNK = 1000;

    private Accuracy() {
    }

    /**
     * @param net     the classifier (not modified; {@code output} in inference mode)
     * @param testSet features {@code (n, ...)} and one-hot labels {@code (n, classes)}
     * @return the fraction of correct top-1 predictions, in [0, 1]
     */
    public static double of(MultiLayerNetwork net, DataSet testSet) {
        Evaluation eval = new Evaluation((int) testSet.getLabels().size(1));
        int n = testSet.numExamples();
        for (int i = 0; i < n; i += CHUNK) {
            DataSet batch = (DataSet) testSet.getRange(i, Math.min(n, i + CHUNK));
            eval.eval(batch.getLabels(), net.output(batch.getFeatures(), false));
        }
        return eval.accuracy();
    }
}
