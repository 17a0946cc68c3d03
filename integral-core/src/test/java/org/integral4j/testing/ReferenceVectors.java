package org.integral4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Loads the TorchIntegral reference vectors copied into test resources (see
 * {@code reference/README.md} there).
 */
public final class ReferenceVectors {

    private ReferenceVectors() {
    }

    /**
     * Parses a JSON resource.
     *
     * @param resource classpath resource, e.g. {@code /reference/gridsample.json}
     * @return the root node
     */
    public static JsonNode load(String resource) {
        try (InputStream in = ReferenceVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /**
     * A tensor node {@code {"shape": [...], "data": [...]}} as a double array.
     *
     * @param node the node
     * @return a new 'c'-ordered DOUBLE array
     */
    public static INDArray tensor(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        double[] data = doubles(node.get("data"));
        if (shape.length == 0) {
            return Nd4j.scalar(data[0]);
        }
        return Nd4j.create(data, shape, 'c').castTo(DataType.DOUBLE);
    }

    /**
     * A numeric JSON array.
     *
     * @param node the array node
     * @return its values
     */
    public static double[] doubles(JsonNode node) {
        double[] data = new double[node.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = node.get(i).asDouble();
        }
        return data;
    }

    /**
     * A JSON array of integers.
     *
     * @param node the array node
     * @return its values
     */
    public static int[] ints(JsonNode node) {
        int[] data = new int[node.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = node.get(i).asInt();
        }
        return data;
    }
}
