package org.integral4j.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.integral4j.testing.Layouts;
import org.integral4j.testing.ReferenceVectors;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Cubic-convolution sampling against TorchIntegral's {@code grid_sample} parametrisation on all
 * twelve cases of {@code reference/gridsample.json}.
 */
class GridSampleReferenceTest {

    @Test
    void allTwelveCasesMatch() {
        JsonNode cases = ReferenceVectors.load("/reference/gridsample.json").get("cases");
        int checked = 0;
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            INDArray refLambda = ReferenceVectors.tensor(c.get("lambda"));
            INDArray expected = ReferenceVectors.tensor(c.get("output"));
            long[] discrete = c.get("discrete_shape").isNull() ? new long[0]
                    : toLongs(ReferenceVectors.ints(c.get("discrete_shape")));
            double[][] points = new double[c.get("grid").size()][];
            for (int i = 0; i < points.length; i++) {
                points[i] = ReferenceVectors.doubles(c.get("grid").get(i).get("data"));
            }
            INDArray lambda;
            int[] continuous;
            if ("1d".equals(c.get("kind").asText())) {
                int contDim = c.get("cont_dim").asInt();
                lambda = Layouts.lambda1d(refLambda, discrete, contDim);
                continuous = new int[] {contDim};
            } else {
                lambda = Layouts.lambda2d(refLambda, discrete);
                continuous = new int[] {0, 1};
            }
            WeightFunction f = WeightFunction.builder(lambda.shape()).name(name).continuousAxes(continuous).build();
            INDArray actual = f.interpolate(lambda, points);
            TensorAssert.assertClose(name, expected, actual, 1e-5, 1e-6);
            checked++;
        }
        assertEquals(12, checked);
    }

    private static long[] toLongs(int[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i];
        }
        return r;
    }
}
