package org.integral4j.distributed.spark;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.distributed.ChannelGroupsSnapshot;
import org.integral4j.distributed.Width;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroups;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluates one partition of an RDD at several widths: rebuilds the network from the broadcast
 * configuration and parameters, binds it to groups restored from the snapshot, and for every
 * minibatch runs one forward pass per width. Returns one {@link Evaluation} per width.
 */
final class EvaluateAtWidthsFunction implements FlatMapFunction<Iterator<DataSet>, Evaluation[]> {

    private static final long serialVersionUID = 1L;

    private final boolean graph;
    private final Broadcast<String> configuration;
    private final Broadcast<byte[]> parameters;
    private final ChannelGroupsSnapshot snapshot;
    private final List<Width> widths;
    private final int batchSize;

    EvaluateAtWidthsFunction(boolean graph, Broadcast<String> configuration, Broadcast<byte[]> parameters,
                             ChannelGroupsSnapshot snapshot, List<Width> widths, int batchSize) {
        this.graph = graph;
        this.configuration = configuration;
        this.parameters = parameters;
        this.snapshot = snapshot;
        this.widths = List.copyOf(widths);
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Evaluation[]> call(Iterator<DataSet> data) throws IOException {
        if (!data.hasNext()) {
            return Collections.emptyIterator();
        }
        Model network = network();
        try {
            ChannelGroups groups = snapshot.restore(0);
            IntegralNetworks.bind(network, groups);
            Map<String, Integer> base = snapshot.sizes();
            Evaluation[] evaluations = new Evaluation[widths.size()];
            for (int i = 0; i < evaluations.length; i++) {
                evaluations[i] = new Evaluation();
            }
            DataSetIterator batches = new IteratorDataSetIterator(data, batchSize);
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                for (int i = 0; i < evaluations.length; i++) {
                    widths.get(i).applyTo(groups, base);
                    evaluations[i].eval(batch.getLabels(), output(network, batch), batch.getLabelsMaskArray());
                }
            }
            return Collections.singletonList(evaluations).iterator();
        } finally {
            network.close();
        }
    }

    private Model network() throws IOException {
        INDArray params;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters.value()))) {
            params = Nd4j.read(in);
        }
        if (graph) {
            ComputationGraph cg = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration.value()));
            cg.init(params, false);
            return cg;
        }
        MultiLayerNetwork mln = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration.value()));
        mln.init(params, false);
        return mln;
    }

    private static INDArray output(Model network, DataSet batch) {
        if (network instanceof MultiLayerNetwork mln) {
            return mln.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        }
        ComputationGraph cg = (ComputationGraph) network;
        INDArray[] featureMasks = batch.getFeaturesMaskArray() == null ? null
                : new INDArray[] {batch.getFeaturesMaskArray()};
        INDArray[] labelMasks = batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()};
        return cg.output(false, new INDArray[] {batch.getFeatures()}, featureMasks, labelMasks)[0];
    }
}
