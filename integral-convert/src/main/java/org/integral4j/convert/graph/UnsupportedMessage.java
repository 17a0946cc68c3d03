package org.integral4j.convert.graph;

import java.util.List;
import java.util.stream.Collectors;
import org.integral4j.convert.graph.FlowTraversal.UnsupportedNode;
import org.integral4j.convert.kinds.LayerRegistry;

/**
 * The one message for the unsupported nodes of a network: every offending node with its class and
 * why, the fixes that work when followed, and what is supported (from the registry).
 */
final class UnsupportedMessage {

    private UnsupportedMessage() {
    }

    /**
     * @param nodes    the offending nodes, in network order
     * @param registry the registry the analysis used
     * @return the message
     */
    static String of(List<UnsupportedNode> nodes, LayerRegistry registry) {
        StringBuilder sb = new StringBuilder("ChannelGroupAnalyzer: ").append(nodes.size())
                .append(" node(s) not supported by the channel-group analysis:");
        for (UnsupportedNode u : nodes) {
            sb.append("\n  - node '").append(u.node().name()).append("' (").append(u.node().className()).append("): ")
                    .append(u.reason());
        }
        String single = nodes.stream().map(u -> "forceDiscrete(\"" + u.node().name() + "\") for '" + u.node().name()
                + "' (" + u.node().typeName() + ")").collect(Collectors.joining(", "));
        sb.append("\nFix: keep them discrete with AnalysisOptions.builder().keepUnsupportedDiscrete(true) (every"
                + " channel group they touch stays discrete; give the options to"
                + " IntegralWrapper.builder().analysisOptions(...)), or keep single nodes discrete with"
                + " AnalysisOptions.builder().").append(single)
                .append(", or remove them from the network, or register a LayerKind for a custom layer class that"
                        + " computes what a supported layer computes (LayerRegistry.with).");
        sb.append("\nSupported: ").append(registry.describeSupport()).append('.');
        return sb.toString();
    }
}
