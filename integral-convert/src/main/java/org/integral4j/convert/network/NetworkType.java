package org.integral4j.convert.network;

/** The two kinds of DL4J network Integral4J reads, converts and exports. */
public enum NetworkType {
    /** A {@code MultiLayerNetwork}: a chain of layers with one input and one output. */
    MULTI_LAYER("MultiLayerNetwork"),
    /** A {@code ComputationGraph}: layers and vertices in a directed acyclic graph. */
    GRAPH("ComputationGraph");

    private final String displayName;

    NetworkType(String displayName) {
        this.displayName = displayName;
    }

    /** @return DL4J's class name, {@code "MultiLayerNetwork"} or {@code "ComputationGraph"} */
    public String displayName() {
        return displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
