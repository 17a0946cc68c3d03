package org.integral4j.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.integral4j.grid.Grid1D;
import org.integral4j.testing.ReferenceVectors;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Quadrature weights against TorchIntegral's ({@code reference/quadrature.json}), for every rule
 * where the reference is correct.
 */
class QuadratureReferenceTest {

    private static final double TOL = 1e-5;

    @Test
    void matchesTheReferenceWhereItIsCorrect() {
        JsonNode cases = ReferenceVectors.load("/reference/quadrature.json").get("cases");
        int trapezoid = 0;
        int simpson = 0;
        int legendre = 0;
        for (JsonNode c : cases) {
            String rule = c.get("quadrature").asText();
            double[] points = ReferenceVectors.doubles(c.get("grid").get("data"));
            double[] expected = ReferenceVectors.doubles(c.get("weights").get("data"));
            String name = rule + " on " + c.get("grid_name").asText();
            Grid1D grid = Grid1D.of(points);
            switch (rule) {
                case "trapezoidal":
                    TensorAssert.assertClose(name, expected, TrapezoidalQuadrature.INSTANCE.weights(grid), TOL);
                    trapezoid++;
                    break;
                case "simpson":
                    // The reference is right only on uniform grids with an odd count.
                    if (points.length % 2 == 1 && grid.isUniform(1e-5)) {
                        TensorAssert.assertClose(name, expected, SimpsonQuadrature.INSTANCE.weights(grid), TOL);
                        simpson++;
                    }
                    break;
                case "legendre":
                    // The reference returns Gauss-Legendre weights for any points; they belong to the nodes.
                    TensorAssert.assertClose(name, expected,
                            GaussLegendreQuadrature.INSTANCE.weights(Grid1D.legendre(points.length)), TOL);
                    legendre++;
                    break;
                case "riemann":
                    // Documented defect: the reference's "Riemann" rule is the trapezoid.
                    TensorAssert.assertClose(name, expected, TrapezoidalQuadrature.INSTANCE.weights(grid), TOL);
                    break;
                default:
                    throw new AssertionError("unknown rule " + rule);
            }
        }
        assertEquals(9, trapezoid);
        assertTrue(simpson >= 4, "simpson cases compared: " + simpson);
        assertEquals(9, legendre);
    }

    @Test
    void multiplyWeightsMatchesMultiplyCoefficients() {
        JsonNode example = ReferenceVectors.load("/reference/quadrature.json").get("multidim_example");
        assertEquals("trapezoidal", example.get("quadrature").asText());
        int dim = example.get("integration_dims").get(0).asInt();
        int gridIndex = example.get("grid_indices").get(0).asInt();
        Grid1D grid = Grid1D.of(ReferenceVectors.doubles(example.get("grids").get(gridIndex).get("data")));
        INDArray expected = ReferenceVectors.tensor(example.get("output"));
        INDArray ones = Nd4j.ones(expected.dataType(), expected.shape());
        INDArray actual = Integration.multiplyWeights(ones, dim, grid, TrapezoidalQuadrature.INSTANCE);
        TensorAssert.assertClose("multidim_example", expected, actual, TOL, 0);
        assertEquals(1.0, ones.getDouble(0), "input not modified");
    }
}
