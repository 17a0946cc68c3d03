package org.integral4j.convert.kinds;

import java.util.List;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;

/**
 * What the channel-group analysis does with a kind of graph vertex (other than a layer).
 *
 * @param id      the kind's name
 * @param classes the vertex configuration classes, matched exactly ({@code FrozenVertex} is
 *                unwrapped first)
 * @param rule    how channels flow through it
 */
public record VertexKind(String id, List<Class<? extends GraphVertex>> classes, Rule rule) {

    /** How channels flow through a vertex. */
    public enum Rule {
        /** One input, the same channels out ({@code ScaleVertex}, {@code ShiftVertex}, {@code PoolHelperVertex}). */
        PASS_THROUGH,
        /** Element-wise combination: the inputs' groups are tied into one ({@code ElementWiseVertex}). */
        ELEMENT_WISE,
        /** Concatenation along the channel axis: a composite group ({@code MergeVertex}). */
        CONCATENATION,
        /** Its preprocessor decides (a flatten, a reshape of a network input: {@code PreprocessorVertex}). */
        PREPROCESSOR
    }

    /** Copies the classes. */
    public VertexKind {
        classes = List.copyOf(classes);
    }

    /** The vertex kinds of the default registry. */
    public static final List<VertexKind> DEFAULTS = List.of(
            new VertexKind("ELEMENT_WISE", List.of(ElementWiseVertex.class), Rule.ELEMENT_WISE),
            new VertexKind("MERGE", List.of(MergeVertex.class), Rule.CONCATENATION),
            new VertexKind("PREPROCESSOR", List.of(PreprocessorVertex.class), Rule.PREPROCESSOR),
            new VertexKind("PASS_THROUGH", List.of(ScaleVertex.class, ShiftVertex.class, PoolHelperVertex.class),
                    Rule.PASS_THROUGH));
}
