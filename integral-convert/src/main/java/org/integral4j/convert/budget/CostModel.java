package org.integral4j.convert.budget;

import java.util.List;
import java.util.Map;

/**
 * Parameters and MACs of an exported network as a function of its group sizes: a sum over layers
 * of {@code bilinear * r_in * r_out + linear * r_out + constant}, where {@code r} is a group's
 * size over its full size (for a concatenation, the sum of its parts' sizes over the sum of their
 * full sizes; 1 for a discrete axis). Exact for convolutions, dense layers, batch norms and
 * depthwise convolutions, whose counts are products of their channel counts. "Full" is the source
 * network, as in {@code CompressionMetrics}: its parameters include the batch norms the export
 * folds into convolutions ({@code foldedParams}), so a fraction of the full count is the fraction
 * {@code IntegralModel.metrics} reports.
 *
 * @param terms        one term per layer of the export
 * @param parts        composite group to its parts
 * @param fullSizes    full size of every simple group
 * @param foldedParams parameters of the source network that the export folds away (batch norms)
 */
public record CostModel(List<Term> terms, Map<String, List<String>> parts, Map<String, Integer> fullSizes,
                        double foldedParams) {

    /**
     * One layer's counts at full size.
     *
     * @param layer          the layer id
     * @param inGroup        input group or null
     * @param outGroup       output group or null
     * @param paramsBilinear parameters proportional to {@code r_in r_out} (weights)
     * @param paramsLinear   parameters proportional to {@code r_out} (bias, batch norm, depthwise)
     * @param paramsConstant parameters on discrete axes only
     * @param macsBilinear   MACs proportional to {@code r_in r_out}
     * @param macsLinear     MACs proportional to {@code r_out}
     */
    public record Term(String layer, String inGroup, String outGroup, double paramsBilinear, double paramsLinear,
                       double paramsConstant, double macsBilinear, double macsLinear) {
    }

    /** Copies. */
    public CostModel {
        terms = List.copyOf(terms);
        parts = Map.copyOf(parts);
        fullSizes = Map.copyOf(fullSizes);
    }

    /**
     * The count at the given sizes.
     *
     * @param kind  MACs or parameters
     * @param sizes simple group name to size (a missing group is at full size)
     * @return the count
     */
    public double cost(Budget.Kind kind, Map<String, Integer> sizes) {
        double total = 0;
        for (Term t : terms) {
            double rIn = ratio(t.inGroup(), sizes);
            double rOut = ratio(t.outGroup(), sizes);
            total += kind == Budget.Kind.MACS ? t.macsBilinear() * rIn * rOut + t.macsLinear() * rOut
                    : t.paramsBilinear() * rIn * rOut + t.paramsLinear() * rOut + t.paramsConstant();
        }
        return total;
    }

    /**
     * The count of the source network: the export at full size, plus the folded batch norms'
     * parameters.
     *
     * @param kind MACs or parameters
     * @return the count
     */
    public double fullCost(Budget.Kind kind) {
        return cost(kind, Map.of()) + (kind == Budget.Kind.PARAMS ? foldedParams : 0);
    }

    private double ratio(String group, Map<String, Integer> sizes) {
        if (group == null) {
            return 1;
        }
        List<String> p = parts.get(group);
        if (p == null) {
            Integer full = fullSizes.get(group);
            return full == null ? 1 : (double) sizes.getOrDefault(group, full) / full;
        }
        double num = 0;
        double den = 0;
        for (String part : p) {
            num += sizes.getOrDefault(part, fullSizes.get(part));
            den += fullSizes.get(part);
        }
        return num / den;
    }
}
