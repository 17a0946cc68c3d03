package org.integral4j.convert.permutation;

import static org.integral4j.convert.permutation.PermutationTestSupport.assertMatrixClose;
import static org.integral4j.convert.permutation.PermutationTestSupport.assertTensorEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Golden cases from TorchIntegral (reference/permutation.json, see the README beside it): distance
 * matrix, total variation and permuted tensors must match; our solver must do at least as well as
 * the reference's 2-opt and never worse than the identity.
 */
class ReferenceCasesTest {

    private static final String RESOURCE = "/reference/permutation.json";
    private static JsonNode root;

    @BeforeAll
    static void load() throws IOException {
        root = loadReference();
    }

    static JsonNode loadReference() throws IOException {
        try (InputStream in = ReferenceCasesTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "missing test resource " + RESOURCE);
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode r = root != null ? root : loadReference();
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : r.get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    static INDArray tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode dataNode = t.get("data");
        float[] data = new float[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) dataNode.get(i).asDouble();
        }
        return Nd4j.create(data, shape, 'c');
    }

    static List<ChannelSlices> group(JsonNode c) {
        List<ChannelSlices> g = new ArrayList<>();
        JsonNode tensors = c.get("tensors");
        for (int i = 0; i < tensors.size(); i++) {
            g.add(ChannelSlices.builder(tensor(tensors.get(i)), c.get("dims").get(i).asInt())
                    .name(c.get("name").asText() + ".tensors[" + i + "]").build());
        }
        return g;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static double[][] matrix(JsonNode a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[a.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = a.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void distanceMatrixMatchesReference(String name, JsonNode c) {
        DistanceMatrix d = DistanceMatrix.fromSlices(group(c));
        assertEquals(c.get("size").asInt(), d.size());
        assertMatrixClose(matrix(c.get("distance_matrix")), d.toArray(), 1e-5, 1e-7, name + " distance matrix");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void totalVariationBeforeMatchesReference(String name, JsonNode c) {
        double expected = c.get("total_variance_before").asDouble();
        assertEquals(expected, TotalVariation.of(group(c)), 1e-5 * expected, name);
        double pathBefore = c.get("tsp_path_distance_before").asDouble();
        assertEquals(pathBefore, DistanceMatrix.fromSlices(group(c)).pathLength(
                ChannelPermutation.identity(c.get("size").asInt())), 1e-5 * pathBefore, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceIndicesGiveReferenceTensorsAndVariation(String name, JsonNode c) {
        List<ChannelSlices> g = group(c);
        int[] indices = ints(c.get("indices"));
        for (int i = 0; i < g.size(); i++) {
            INDArray before = g.get(i).tensor().dup();
            INDArray permuted = ChannelPermutation.apply(g.get(i), indices);
            assertTensorEquals(tensor(c.get("permuted_tensors").get(i)), permuted, name + " tensor " + i);
            assertEquals(before, g.get(i).tensor(), "input tensor modified");
        }
        double expected = c.get("total_variance_after").asDouble();
        assertEquals(expected, TotalVariation.of(g, indices), 1e-5 * expected, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void solverBeatsReferenceAndIdentity(String name, JsonNode c) {
        List<ChannelSlices> g = group(c);
        TspResult result = TspSolver.defaults().solve(g);
        int[] order = result.order();
        assertTrue(PermutationTestSupport.isPermutation(order, c.get("size").asInt()), name);

        double refPath = c.get("tsp_path_distance_after").asDouble();
        assertTrue(result.lengthAfter() <= refPath * (1 + 1e-6),
                name + ": path " + result.lengthAfter() + " > reference " + refPath);
        assertTrue(result.lengthAfter() <= result.lengthBefore(), name);

        double tvAfter = TotalVariation.of(g, order);
        double tvBefore = c.get("total_variance_before").asDouble();
        double refTvAfter = c.get("total_variance_after").asDouble();
        assertTrue(tvAfter <= refTvAfter * (1 + 1e-6), name + ": TV " + tvAfter + " > reference " + refTvAfter);
        assertTrue(tvAfter <= tvBefore * (1 + 1e-6), name + ": TV " + tvAfter + " > identity " + tvBefore);

        List<ChannelSlices> permuted = new ArrayList<>();
        for (ChannelSlices s : g) {
            permuted.add(ChannelSlices.of(ChannelPermutation.apply(s, order), s.axis()));
        }
        assertEquals(tvAfter, TotalVariation.of(permuted), 1e-6 * tvAfter, name + ": TV of permuted tensors");
    }
}
