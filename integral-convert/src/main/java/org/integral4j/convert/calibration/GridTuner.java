package org.integral4j.convert.calibration;

import java.util.Random;
import java.util.List;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.layers.conf.Freeze;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grid tuning by distillation: only the grid points of the resized integral network move (Adam,
 * {@link org.integral4j.layers.train.GridTuningListener}); every parameter is frozen
 * ({@link Freeze#ALL}). The labels are the full network's outputs on the calibration inputs, and
 * the loss is the network's own: for a softmax head with cross-entropy,
 * {@code -sum_k p_full,k log p_k = KL(p_full || p) + H(p_full)}, i.e. the KL divergence up to a
 * constant; for a regression head, the mean squared error to the full outputs. The steps run in
 * DL4J's training mode, so batch norms normalise with minibatch statistics while tuning; their
 * running statistics are restored afterwards (and re-estimated by the batch-norm step).
 */
final class GridTuner {

    private static final Logger LOG = LoggerFactory.getLogger(GridTuner.class);

    private GridTuner() {
    }

    /**
     * Tunes the grids of {@code work} in place.
     *
     * @param work    the integral model to tune (modified: trainable grids, rebuilt network)
     * @param inputs  calibration inputs {@code (n, ...)}
     * @param targets the full network's outputs on them {@code (n, outputs)}
     * @param o       options (epochs, batch, learning rate, seed)
     * @return the mean loss of the last epoch
     */
    static double tune(IntegralModel work, INDArray inputs, INDArray targets, CalibrationOptions o) {
        work.gridTuning(Freeze.ALL, o.tuningLearningRate());
        Dl4jNetwork net = work.dl4jNetwork();
        // Training mode lets batch norms update their running statistics; they are restored below.
        INDArray frozen = net.params().dup();
        int n = (int) inputs.size(0);
        Random rng = new Random(o.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double last = Double.NaN;
        for (int epoch = 0; epoch < o.tuningEpochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += o.tuningBatch()) {
                int to = Math.min(n, from + o.tuningBatch());
                long[] idx = new long[to - from];
                for (int k = from; k < to; k++) {
                    idx[k - from] = order[k];
                }
                DataSet ds = new DataSet(rows(inputs, idx), rows(targets, idx));
                sum += net.fit(ds);
                batches++;
            }
            last = sum / batches;
            LOG.debug("grid tuning epoch {}: distillation loss {}", epoch, last);
        }
        net.setListeners(List.of());
        net.model().setParams(frozen);
        return last;
    }

    /** The rows {@code idx} of {@code x} along axis 0, any rank. */
    static INDArray rows(INDArray x, long[] idx) {
        INDArrayIndex[] ix = new INDArrayIndex[x.rank()];
        ix[0] = NDArrayIndex.indices(idx);
        for (int d = 1; d < x.rank(); d++) {
            ix[d] = NDArrayIndex.all();
        }
        return x.get(ix).dup();
    }
}
