package org.integral4j.distributed.parallel;

import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.WidthDraw;
import org.integral4j.distributed.WidthSampling;
import org.integral4j.distributed.WorkerGroups;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's averaging trainer for one {@link ParallelWrapper} replica, plus what an integral network
 * needs: once the replica exists ({@link #postInit()}), it is bound to its own channel groups
 * restored from the snapshot and seeded by the replica index; before every minibatch the replica
 * draws its own widths.
 */
final class IntegralTrainer extends DefaultTrainer {

    private final ChannelGroupsSnapshot snapshot;
    private final WidthSampling sampling;
    private final long seed;
    private final Consumer<WidthDraw> sink;
    private WorkerGroups worker;

    IntegralTrainer(String uuid, int threadId, Model model, boolean useMDS, ParallelWrapper wrapper, WorkspaceMode mode,
                    int averagingFrequency, ChannelGroupsSnapshot snapshot, WidthSampling sampling, long seed,
                    Consumer<WidthDraw> sink) {
        super();
        this.originalModel = model;
        this.replicatedModel = model;
        this.threadId = threadId;
        this.parallelWrapper = wrapper;
        this.workspaceMode = mode;
        this.useMDS = useMDS;
        this.uuid = uuid + "_thread_" + threadId;
        this.averagingFrequency = averagingFrequency;
        this.snapshot = snapshot;
        this.sampling = sampling;
        this.seed = seed;
        this.sink = sink;
        setName("IntegralTrainer thread " + threadId);
        setDaemon(true);
    }

    @Override
    protected void postInit() {
        super.postInit();
        worker = WorkerGroups.bind(replicatedModel, snapshot, sampling, WorkerGroups.seed(seed, threadId),
                "replica " + threadId);
    }

    @Override
    protected void fit(DataSet dataSet) {
        sink.accept(worker.drawForNextStep());
        super.fit(dataSet);
    }

    @Override
    protected void fit(MultiDataSet dataSet) {
        sink.accept(worker.drawForNextStep());
        super.fit(dataSet);
    }
}
