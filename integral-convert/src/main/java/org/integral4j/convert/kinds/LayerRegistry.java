package org.integral4j.convert.kinds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.integral4j.util.Checks;

/**
 * The layer and vertex kinds one conversion knows (immutable). {@link #defaults()} holds the
 * built-in kinds of {@link LayerKinds}; {@link #with} adds one, e.g. for a custom layer class:
 *
 * <pre>{@code
 * LayerRegistry registry = LayerRegistry.defaults().with(LayerKinds.dense("MY_DENSE", MyDense.class));
 * IntegralWrapper.builder().analysisOptions(AnalysisOptions.builder().layerRegistry(registry).build());
 * }</pre>
 *
 * <p>Classes are matched exactly: a subclass of a supported layer may compute something else and
 * is unknown until registered. {@code FrozenLayer}, {@code FrozenLayerWithBackprop} and
 * {@code FrozenVertex} are unwrapped: a frozen layer has the kind of the layer it wraps.
 */
public final class LayerRegistry {

    private static final LayerRegistry DEFAULT = new LayerRegistry(LayerKinds.DEFAULTS, VertexKind.DEFAULTS);

    private final List<LayerKind> kinds;
    private final Map<Class<?>, LayerKind> byClass = new LinkedHashMap<>();
    private final Map<String, LayerKind> byId = new LinkedHashMap<>();
    private final List<VertexKind> vertexKinds;
    private final Map<Class<?>, VertexKind> vertexByClass = new LinkedHashMap<>();

    private LayerRegistry(List<LayerKind> kinds, List<VertexKind> vertexKinds) {
        this.kinds = List.copyOf(kinds);
        this.vertexKinds = List.copyOf(vertexKinds);
        byId.put(LayerKinds.OTHER.id(), LayerKinds.OTHER);
        for (LayerKind k : this.kinds) {
            Checks.require(byId.putIfAbsent(k.id(), k) == null, "LayerRegistry",
                    "two layer kinds are named '%s'; give the new kind another id.", k.id());
            for (Class<?> c : k.layerClasses()) {
                LayerKind before = byClass.putIfAbsent(c, k);
                Checks.require(before == null, "LayerRegistry", "%s belongs to kind '%s' and kind '%s'; a class has"
                        + " one kind.", c.getSimpleName(), before == null ? "" : before.id(), k.id());
            }
        }
        for (VertexKind v : this.vertexKinds) {
            for (Class<?> c : v.classes()) {
                Checks.require(vertexByClass.putIfAbsent(c, v) == null, "LayerRegistry",
                        "vertex class %s is registered twice.", c.getSimpleName());
            }
        }
    }

    /** @return the built-in kinds ({@link LayerKinds#DEFAULTS}, {@link VertexKind#DEFAULTS}) */
    public static LayerRegistry defaults() {
        return DEFAULT;
    }

    /**
     * A registry with one more layer kind.
     *
     * @param kind the kind; its id and classes must be new to this registry
     * @return the new registry (this one is unchanged)
     * @throws IllegalArgumentException when the id or a class is registered already
     */
    public LayerRegistry with(LayerKind kind) {
        Checks.requireNonNull("LayerRegistry", "kind", kind);
        List<LayerKind> all = new ArrayList<>(kinds);
        all.add(kind);
        return new LayerRegistry(all, vertexKinds);
    }

    /**
     * A registry with one more vertex kind.
     *
     * @param kind the kind; its classes must be new to this registry
     * @return the new registry
     */
    public LayerRegistry with(VertexKind kind) {
        Checks.requireNonNull("LayerRegistry", "kind", kind);
        List<VertexKind> all = new ArrayList<>(vertexKinds);
        all.add(kind);
        return new LayerRegistry(kinds, all);
    }

    /** @return the layer kinds in registration order */
    public List<LayerKind> kinds() {
        return kinds;
    }

    /** @return the vertex kinds in registration order */
    public List<VertexKind> vertexKinds() {
        return vertexKinds;
    }

    /**
     * @param layer a layer configuration (a frozen layer is unwrapped)
     * @return its kind, or empty when its class is not registered
     */
    public Optional<LayerKind> kindOf(Layer layer) {
        return Optional.ofNullable(byClass.get(unwrap(layer).getClass()));
    }

    /**
     * @param id a kind's name
     * @return the kind ({@link LayerKinds#OTHER} for {@code "OTHER"}), or empty
     */
    public Optional<LayerKind> kind(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * @param vertex a vertex configuration (a frozen vertex is unwrapped)
     * @return its kind, or empty when its class is not registered
     */
    public Optional<VertexKind> vertexKindOf(GraphVertex vertex) {
        return Optional.ofNullable(vertexByClass.get(unwrap(vertex).getClass()));
    }

    /**
     * @param layer a layer configuration
     * @return the layer a {@code FrozenLayer} or {@code FrozenLayerWithBackprop} wraps (repeatedly),
     *         or the layer itself
     */
    public static Layer unwrap(Layer layer) {
        Layer l = layer;
        while (true) {
            if (l instanceof FrozenLayer f) {
                l = f.getLayer();
            } else if (l instanceof FrozenLayerWithBackprop f) {
                l = f.getUnderlying();
            } else {
                return l;
            }
        }
    }

    /**
     * @param vertex a vertex configuration
     * @return the vertex a {@code FrozenVertex} wraps (repeatedly), or the vertex itself
     */
    public static GraphVertex unwrap(GraphVertex vertex) {
        GraphVertex v = vertex;
        while (v instanceof FrozenVertex f) {
            v = f.getUnderlying();
        }
        return v;
    }

    /**
     * @param layer a layer configuration
     * @return whether it is a frozen wrapper
     */
    public static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    /**
     * The inner layer wrapped the way {@code original} was (for exporting a frozen layer at new widths).
     *
     * @param original the source configuration, possibly a frozen wrapper (not modified)
     * @param inner    the new inner layer
     * @return {@code inner} itself, or a new wrapper of the original's type around it
     */
    public static Layer rewrap(Layer original, Layer inner) {
        if (original instanceof FrozenLayer f) {
            Layer wrapped = new FrozenLayer(rewrap(f.getLayer(), inner));
            wrapped.setLayerName(original.getLayerName());
            return wrapped;
        }
        if (original instanceof FrozenLayerWithBackprop f) {
            Layer wrapped = new FrozenLayerWithBackprop(rewrap(f.getUnderlying(), inner));
            wrapped.setLayerName(original.getLayerName());
            return wrapped;
        }
        return inner;
    }

    /**
     * The supported layer classes by how the conversion treats them, for messages.
     *
     * @return e.g. "converted: ConvolutionLayer, ...; pass through: ...; channels kept: ...; vertices: ..."
     */
    public String describeSupport() {
        Map<LayerKind.Support, List<String>> groups = new LinkedHashMap<>();
        for (LayerKind k : kinds) {
            if (k.support() != LayerKind.Support.NOT_CONVERTIBLE) {
                List<String> names = groups.computeIfAbsent(k.support(), g -> new ArrayList<>());
                k.layerClasses().forEach(c -> names.add(c.getSimpleName()));
            }
        }
        String layers = groups.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                        + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        String vertices = vertexKinds.stream().flatMap(v -> v.classes().stream()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return layers + "; vertices: " + vertices + ", LayerVertex (FrozenLayer and FrozenVertex as what they wrap)";
    }

    @Override
    public String toString() {
        return "LayerRegistry" + kinds.stream().map(LayerKind::id).toList();
    }
}
