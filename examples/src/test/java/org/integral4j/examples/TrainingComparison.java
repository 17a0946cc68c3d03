package org.integral4j.examples;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.layers.IntegralNetworks;
import org.integral4j.layers.grid.ChannelGroups;
import org.integral4j.layers.train.RandomPartitionListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the small CNN twice on the same Fashion-MNIST batches in the same order, once as a plain
 * DL4J network and once as an integral network with random grid sizes, and evaluates both at full
 * size on a held-out set.
 */
final class TrainingComparison {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingComparison.class);

    /** Accuracy and mean cross-entropy on the test set. */
    record Result(double accuracy, double loss) {
    }

    final Result discrete;
    final Result integral;

    TrainingComparison(FashionMnistData train, FashionMnistData test, int epochs, int batch, double minRatio) {
        this(train, test, epochs, batch, minRatio, false);
    }

    TrainingComparison(FashionMnistData train, FashionMnistData test, int epochs, int batch, double minRatio,
                       boolean normal) {
        MultiLayerNetwork plain = SmallCnn.discrete(42);
        MultiLayerNetwork inn = SmallCnn.integral(42);
        ChannelGroups groups = IntegralNetworks.bindNew(inn, 42);
        groups.setDistributions(minRatio, normal);
        inn.setListeners(new RandomPartitionListener(groups));
        plain.fit(train.iterator(batch, 7), epochs);
        inn.fit(train.iterator(batch, 7), epochs);
        DataSet testSet = test.toDataSet();
        discrete = evaluate("discrete", plain, testSet);
        integral = evaluate("integral (random sizes " + Math.round(minRatio * 100) + "-100%" + (normal ? " half-normal"
                : " uniform") + ", evaluated at 100%)", inn,
                testSet);
    }

    private static Result evaluate(String what, MultiLayerNetwork net, DataSet testSet) {
        Evaluation eval = new Evaluation(10);
        eval.eval(testSet.getLabels(), net.output(testSet.getFeatures()));
        Result r = new Result(eval.accuracy(), net.score(testSet));
        LOG.info("{}: test accuracy {}, loss {}", what, String.format("%.4f", r.accuracy()),
                String.format("%.4f", r.loss()));
        return r;
    }
}
