package org.integral4j.distributed;

import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * The classification results of one network at one width.
 *
 * @param width      the width
 * @param evaluation DL4J's evaluation (accuracy, F1, confusion matrix) over all examples
 */
public record WidthEvaluation(Width width, Evaluation evaluation) {

    /**
     * Accuracy at this width.
     *
     * @return the accuracy in [0, 1]
     */
    public double accuracy() {
        return evaluation.accuracy();
    }

    /**
     * A table of accuracy by width.
     *
     * @param results the results
     * @return one line per width
     */
    public static String table(List<WidthEvaluation> results) {
        StringBuilder sb = new StringBuilder(String.format("%-12s %10s %10s%n", "width", "accuracy", "examples"));
        for (WidthEvaluation r : results) {
            sb.append(String.format("%-12s %9.2f%% %10d%n", r.width().label(), 100 * r.accuracy(),
                    r.evaluation().getNumRowCounter()));
        }
        return sb.toString();
    }
}
