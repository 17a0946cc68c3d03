package org.integral4j.distributed.parallel;

import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthSampling;

/**
 * Creates {@link IntegralTrainer}s for a {@link ParallelWrapper} in averaging mode (what DL4J's
 * {@code DefaultTrainerContext} does, with integral replicas).
 */
final class IntegralTrainerContext implements TrainerContext {

    private final ChannelGroupsSnapshot snapshot;
    private final WidthSampling sampling;
    private final long seed;
    private final Consumer<WidthDraw> sink;

    IntegralTrainerContext(ChannelGroupsSnapshot snapshot, WidthSampling sampling, long seed, Consumer<WidthDraw> sink) {
        this.snapshot = snapshot;
        this.sampling = sampling;
        this.seed = seed;
        this.sink = sink;
    }

    @Override
    public void init(Model model, Object... args) {
        // nothing to prepare: each trainer restores its own groups
    }

    @Override
    public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS, ParallelWrapper wrapper,
                          WorkspaceMode workspaceMode, int averagingFrequency) {
        return new IntegralTrainer(uuid, threadId, model, useMDS, wrapper, workspaceMode, averagingFrequency, snapshot,
                sampling, seed, sink);
    }

    @Override
    public void finalizeRound(Model originalModel, Model... models) {
        // ParallelWrapper averages parameters and updater states itself
    }

    @Override
    public void finalizeTraining(Model originalModel, Model... models) {
        // ParallelWrapper averages parameters and updater states itself
    }
}
