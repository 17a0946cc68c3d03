package org.integral4j.layers.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;

/**
 * Random-partition training (Solodskikh et al., CVPR 2023, section 3.3): draws new grid sizes
 * for every group with a size distribution once per iteration, so that each training step of a
 * plain {@code fit()} trains the network at a different width. Sizes are drawn when the listener
 * is created (for the first step) and after every iteration (for the next one).
 *
 * <pre>{@code
 * groups.setDistributions(0.5, false);                        // sizes in [50%, 100%]
 * net.addListeners(new RandomPartitionListener(groups));
 * net.fit(trainIterator, epochs);
 * }</pre>
 */
public class RandomPartitionListener extends BaseTrainingListener {

    private final ChannelGroups groups;

    /**
     * Creates the listener and draws the sizes of the first step.
     *
     * @param groups the model's groups (modified: their training sizes)
     */
    public RandomPartitionListener(ChannelGroups groups) {
        this.groups = Checks.requireNonNull("RandomPartitionListener", "groups", groups);
        groups.drawTrainingSizes();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        groups.drawTrainingSizes();
    }
}
