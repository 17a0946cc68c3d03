package org.integral4j.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Iterator;
import java.util.Map;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.integral4j.testing.Layouts;
import org.integral4j.testing.ReferenceVectors;
import org.integral4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The parametrised weights of TorchIntegral's converted {@code SmallNet}
 * ({@code reference/layers.json}): sampled weights at full size and after resizing the groups
 * 8 -> 5 and 6 -> 4, for the identity and the 2-opt permutation, and the right inverse.
 */
class LayersReferenceTest {

    private static final double TOL = 1e-5;

    @Test
    void sampledWeightsMatchAtFullAndReducedSize() {
        JsonNode cases = ReferenceVectors.load("/reference/layers.json").get("cases");
        int compared = 0;
        for (JsonNode c : cases) {
            for (String size : new String[] {"full", "resized"}) {
                Iterator<Map.Entry<String, JsonNode>> params = c.get(size).fields();
                while (params.hasNext()) {
                    JsonNode p = params.next().getValue();
                    if (!p.has("parametrization")) {
                        continue; // linear.bias: both axes discrete, not parametrised.
                    }
                    String name = c.get("permutation").asText() + "/" + size + "/" + p.get("name").asText();
                    Parametrized param = Parametrized.of(p);
                    INDArray sampled = param.function.sample(param.lambda, param.grids);
                    TensorAssert.assertClose(name, ReferenceVectors.tensor(p.get("sampled")), sampled, TOL, 1e-6);
                    compared++;
                }
            }
        }
        assertEquals(20, compared);
    }

    @Test
    void rightInverseOfTheDiscreteWeightsIsTheReferenceLambda() {
        JsonNode c = ReferenceVectors.load("/reference/layers.json").get("cases").get(0);
        assertEquals("identity", c.get("permutation").asText());
        int compared = 0;
        Iterator<Map.Entry<String, JsonNode>> params = c.get("full").fields();
        while (params.hasNext()) {
            Map.Entry<String, JsonNode> e = params.next();
            if (!e.getValue().has("parametrization")) {
                continue;
            }
            Parametrized param = Parametrized.of(e.getValue());
            INDArray discrete = ReferenceVectors.tensor(c.get("discrete_params_before_wrapper").get(e.getKey()));
            INDArray lambda = param.function.rightInverse(discrete, param.grids);
            TensorAssert.assertClose(e.getKey(), param.lambda, lambda, TOL, 1e-6);
            compared++;
        }
        assertEquals(5, compared);
    }

    /** One parametrised tensor of the reference, in Integral4J's layout. */
    private static final class Parametrized {
        WeightFunction function;
        INDArray lambda;
        Grid1D[] grids;

        static Parametrized of(JsonNode p) {
            Parametrized r = new Parametrized();
            INDArray refLambda = ReferenceVectors.tensor(p.get("lambda"));
            JsonNode discreteNode = p.get("discrete_shape");
            long[] discrete = discreteNode.isNull() ? new long[0] : toLongs(ReferenceVectors.ints(discreteNode));
            int[] axes;
            if ("GridSampleWeights2D".equals(p.get("parametrization").asText())) {
                r.lambda = Layouts.lambda2d(refLambda, discrete);
                axes = new int[] {0, 1};
            } else {
                int contDim = p.get("cont_dim").asInt();
                r.lambda = Layouts.lambda1d(refLambda, discrete, contDim);
                axes = new int[] {contDim};
            }
            r.grids = new Grid1D[axes.length];
            for (int i = 0; i < axes.length; i++) {
                r.grids[i] = Grid1D.of(ReferenceVectors.doubles(p.get("grid").get(i).get("data")));
            }
            // The reference lambda has the full size (scale 1), so it is also the full weight shape.
            WeightFunction.Builder b = WeightFunction.builder(r.lambda.shape()).name(p.get("name").asText())
                    .continuousAxes(axes);
            if (!p.get("quadrature").isNull()) {
                assertEquals("TrapezoidalQuadrature", p.get("quadrature").get("class").asText());
                int dim = p.get("quadrature").get("integration_dims").get(0).asInt();
                b.quadrature(TrapezoidalQuadrature.INSTANCE, dim);
            }
            r.function = b.build();
            if (!p.get("train_volume").isNull()) {
                assertEquals(p.get("train_volume").asDouble(), r.function.trainVolume(), 1e-12);
            }
            return r;
        }
    }

    private static long[] toLongs(int[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i];
        }
        return r;
    }
}
