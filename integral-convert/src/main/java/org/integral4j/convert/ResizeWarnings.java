package org.integral4j.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupSpec;
import org.integral4j.convert.graph.DiscreteCause;
import org.integral4j.convert.network.Dl4jConfiguration;
import org.integral4j.convert.network.NodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so when a resize cannot do what the caller probably expects: a model whose channel groups
 * are all discrete (an LSTM network, a network whose unsupported layers were kept discrete) keeps
 * its full size at every ratio, and one whose resizable groups hold a small part of the
 * parameters barely shrinks.
 */
final class ResizeWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(ResizeWarnings.class);

    /** Below this share of resizable parameters a ratio below 1 gets a warning. */
    static final double SMALL_SHARE = 0.1;

    private ResizeWarnings() {
    }

    /**
     * The fraction of the source network's parameters in layers with at least one continuous axis.
     *
     * @param source  the source configuration
     * @param records how each node was converted
     * @return the fraction in [0, 1] (0 for a network without parameters)
     */
    static double resizableShare(Dl4jConfiguration source, List<NodeRecord> records) {
        Map<String, NodeRecord> byName = new LinkedHashMap<>();
        records.forEach(r -> byName.put(r.name(), r));
        long total = 0;
        long resizable = 0;
        for (NodeSpec node : source.nodes()) {
            if (node.kind() != NodeSpec.Kind.LAYER) {
                continue;
            }
            Layer layer = node.layer();
            long n = Dl4jConfiguration.parameterCount(layer);
            NodeRecord r = byName.get(node.name());
            total += n;
            if (r != null && (r.inGroup() != null || r.outGroup() != null)) {
                resizable += n;
            }
        }
        return total == 0 ? 0 : (double) resizable / total;
    }

    /**
     * Logs a warning when a resize to a ratio below 1 changes nothing or little.
     *
     * @param ratio    the requested ratio
     * @param result   what the resize did
     * @param analysis the analysis (null for a model loaded from a file)
     */
    static void warnIfLittleChanges(double ratio, ResizeResult result, ChannelGroupAnalysis analysis) {
        if (!result.hasResizableGroups()) {
            LOG.warn("resize to ratio {} changes nothing: this model has no resizable channel group{}. Its plain export"
                    + " keeps the full size; see IntegralModel.describe() and the analysis for why.", ratio,
                    causes(analysis));
        } else if (result.resizableShare() < SMALL_SHARE) {
            LOG.warn("resize to ratio {} reaches only {}% of the parameters: the channel groups of the other layers are"
                            + " discrete{}. Those layers keep their full size.", ratio,
                    String.format(Locale.ROOT, "%.1f", 100 * result.resizableShare()), causes(analysis));
        }
    }

    /** e.g. " (12 kept by unsupported nodes such as 'block1_sepconv1', 1 network input, 1 network output)". */
    private static String causes(ChannelGroupAnalysis analysis) {
        if (analysis == null || analysis.discreteGroups().isEmpty()) {
            return "";
        }
        Map<DiscreteCause.Kind, Integer> counts = new LinkedHashMap<>();
        Map<DiscreteCause.Kind, String> example = new LinkedHashMap<>();
        for (ChannelGroupSpec g : analysis.discreteGroups()) {
            DiscreteCause c = g.discreteCauses().get(0);
            counts.merge(c.kind(), 1, Integer::sum);
            example.putIfAbsent(c.kind(), c.node());
        }
        StringBuilder sb = new StringBuilder(" (");
        counts.forEach((kind, n) -> sb.append(sb.length() > 2 ? ", " : "").append(n).append(" because of ")
                .append(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" such as '")
                .append(example.get(kind)).append("'"));
        return sb.append(')').toString();
    }
}
