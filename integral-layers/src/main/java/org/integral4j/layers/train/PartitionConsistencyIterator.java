package org.integral4j.layers.train;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The optional partition-consistency term: trains the network so that its outputs at two
 * different partitions agree. For every batch, the network's output {@code p2} at a second random
 * partition (sizes drawn from the groups' distributions, inference mode, no gradient) becomes part
 * of the target: {@code y' = (1 - weight) y + weight p2}. With a softmax output and cross-entropy
 * loss (MCXENT), {@code CE(y', p1) = (1 - weight) CE(y, p1) + weight CE(p2, p1)}: the usual loss at
 * the training partition plus a consistency term pulling {@code p1} towards {@code p2}. Off by
 * default: wrap the training iterator to switch it on.
 *
 * <pre>{@code
 * net.fit(new PartitionConsistencyIterator(train, net, groups, 0.3), epochs);
 * }</pre>
 *
 * <p>Only meaningful for losses that are linear in the labels (cross-entropy, KL). The groups'
 * evaluation sizes are restored after every batch.
 */
public class PartitionConsistencyIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final DataSetIterator base;
    private final Model model;
    private final ChannelGroups groups;
    private final double weight;

    /**
     * Wraps an iterator.
     *
     * @param base   the training data (its batches are not modified)
     * @param model  the network being trained (a MultiLayerNetwork or ComputationGraph with one output)
     * @param groups the network's groups, with size distributions
     * @param weight the weight of the consistency term, in [0, 1)
     */
    public PartitionConsistencyIterator(DataSetIterator base, Model model, ChannelGroups groups, double weight) {
        this.base = Checks.requireNonNull("PartitionConsistencyIterator", "base", base);
        Checks.require(model instanceof MultiLayerNetwork || model instanceof ComputationGraph,
                "PartitionConsistencyIterator", "expected a MultiLayerNetwork or ComputationGraph, got %s.",
                model == null ? "null" : model.getClass().getName());
        this.model = model;
        this.groups = Checks.requireNonNull("PartitionConsistencyIterator", "groups", groups);
        Checks.require(weight >= 0 && weight < 1, "PartitionConsistencyIterator",
                "weight must be in [0, 1), got %s.", weight);
        this.weight = weight;
    }

    /**
     * The target for one batch: labels mixed with the output at a random second partition.
     *
     * @param batch the batch (not modified)
     * @return a new data set with the same features and mixed labels
     */
    public DataSet withConsistencyTarget(DataSet batch) {
        Map<String, Integer> saved = groups.evaluationSizes();
        INDArray other;
        try {
            groups.resizeAll(groups.drawSizes());
            other = model instanceof MultiLayerNetwork mln ? mln.output(batch.getFeatures(), false)
                    : ((ComputationGraph) model).outputSingle(false, batch.getFeatures());
        } finally {
            groups.resizeAll(saved);
        }
        INDArray labels = batch.getLabels().mul(1 - weight).addi(other.castTo(batch.getLabels().dataType()).mul(weight));
        return new DataSet(batch.getFeatures(), labels, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
    }

    @Override
    public DataSet next(int num) {
        return withConsistencyTarget(base.next(num));
    }

    @Override
    public DataSet next() {
        return withConsistencyTarget(base.next());
    }

    @Override
    public boolean hasNext() {
        return base.hasNext();
    }

    @Override
    public int inputColumns() {
        return base.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return base.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return base.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        base.reset();
    }

    @Override
    public int batch() {
        return base.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        base.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return base.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return base.getLabels();
    }
}
