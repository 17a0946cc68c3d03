package org.integral4j.layers.train;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.integral4j.layers.grid.ChannelGroup;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the points of trainable grids (TorchIntegral's grid tuning) inside DL4J's {@code fit()}:
 * the integral layers add {@code dL/dx} of every grid point to their groups during the backward
 * pass, and after each iteration this listener applies one Adam step (Kingma and Ba 2015) per
 * trainable group, on the gradient averaged over the minibatch, then projects the points back to a
 * valid grid ({@link org.integral4j.grid.TrainableGrid}). Combine it with frozen parameters
 * ({@link org.integral4j.layers.conf.Freeze}) to train only the grids.
 */
public class GridTuningListener extends BaseTrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(GridTuningListener.class);

    private final ChannelGroups groups;
    private final double learningRate;
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double epsilon = 1e-8;
    private final Map<String, double[][]> moments = new HashMap<>();
    private int step;

    /**
     * Creates the listener.
     *
     * @param groups       the model's groups (their trainable grids are modified)
     * @param learningRate Adam's step size, positive (grid points live on [-1, 1]; 1e-3 to 1e-2 is typical)
     */
    public GridTuningListener(ChannelGroups groups, double learningRate) {
        this.groups = Checks.requireNonNull("GridTuningListener", "groups", groups);
        Checks.require(learningRate > 0, "GridTuningListener", "learningRate must be positive, got %s.", learningRate);
        this.learningRate = learningRate;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        int batch = Math.max(1, model.batchSize());
        step++;
        for (ChannelGroup g : groups.all()) {
            if (g.isComposite() || !g.isTrainable()) {
                continue;
            }
            double[] grad = g.takeGridGradient();
            if (grad == null) {
                continue;
            }
            g.trainableGrid().maskGradientInPlace(grad);
            double[][] mv = moments.computeIfAbsent(g.name(), k -> new double[2][grad.length]);
            if (mv[0].length != grad.length) {
                mv[0] = new double[grad.length];
                mv[1] = new double[grad.length];
            }
            double[] delta = new double[grad.length];
            double c1 = 1 - Math.pow(beta1, step);
            double c2 = 1 - Math.pow(beta2, step);
            for (int i = 0; i < grad.length; i++) {
                double gi = grad[i] / batch;
                mv[0][i] = beta1 * mv[0][i] + (1 - beta1) * gi;
                mv[1][i] = beta2 * mv[1][i] + (1 - beta2) * gi * gi;
                delta[i] = -learningRate * (mv[0][i] / c1) / (Math.sqrt(mv[1][i] / c2) + epsilon);
            }
            g.stepGridInPlace(delta);
            LOG.debug("iteration {}: grid of group '{}' moved by up to {}", iteration, g.name(), maxAbs(delta));
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
