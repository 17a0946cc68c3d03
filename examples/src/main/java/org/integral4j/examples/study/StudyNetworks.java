package org.integral4j.examples.study;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.examples.data.FashionMnistData;
import org.integral4j.examples.models.BranchConcatNet;
import org.integral4j.examples.models.SmallCnn;
import org.integral4j.examples.models.SmallResNet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks of the calibration study, trained on the full Fashion-MNIST training set and cached
 * as DL4J model files ({@code <dir>/<network>-seed<seed>.zip}), so the study can be re-run without
 * training again. A cached file is used only when its name matches network, seed and epochs.
 */
public final class StudyNetworks {

    private static final Logger LOG = LoggerFactory.getLogger(StudyNetworks.class);

    /** Images per training batch. */
    public static final int BATCH = 64;

    /** The three network shapes of the study. */
    public enum Shape {
        /** {@link SmallCnn}: conv - pool - conv - pool - dense - softmax, no batch norm. */
        CNN("cnn"),
        /** {@link SmallResNet}: residual additions, folded batch norms. */
        RESNET("resnet"),
        /** {@link BranchConcatNet}: branches concatenated, folded and integral batch norms. */
        BRANCH("branch");

        private final String id;

        Shape(String id) {
            this.id = id;
        }

        /** @return the short name used in files and tables */
        public String id() {
            return id;
        }

        /**
         * The shape named {@code id}.
         *
         * @param id cnn, resnet or branch
         * @return the shape
         */
        public static Shape of(String id) {
            for (Shape s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown network '" + id + "'; use cnn, resnet or branch.");
        }

        Model create(long seed) {
            switch (this) {
                case CNN:
                    return SmallCnn.discrete(seed);
                case RESNET:
                    return SmallResNet.discrete(seed);
                default:
                    return BranchConcatNet.discrete(seed);
            }
        }
    }

    private StudyNetworks() {
    }

    /**
     * The trained network: loaded from the cache or trained and saved.
     *
     * @param shape  the network
     * @param seed   initialisation and shuffling seed
     * @param epochs training epochs
     * @param train  the training data
     * @param dir    the cache directory
     * @return the trained network
     * @throws IOException when the cache cannot be read or written
     */
    public static Model trained(Shape shape, long seed, int epochs, FashionMnistData train, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        File file = dir.resolve(String.format(Locale.ROOT, "%s-seed%d-epochs%d-n%d.zip", shape.id(), seed, epochs,
                train.size())).toFile();
        if (file.isFile()) {
            LOG.info("loading cached {} (seed {})", shape.id(), seed);
            return shape == Shape.CNN ? ModelSerializer.restoreMultiLayerNetwork(file)
                    : ModelSerializer.restoreComputationGraph(file);
        }
        long t0 = System.nanoTime();
        Model net = shape.create(seed);
        DataSetIterator it = train.iterator(BATCH, seed * 7919 + 13);
        if (net instanceof MultiLayerNetwork m) {
            m.fit(it, epochs);
        } else {
            ((ComputationGraph) net).fit(it, epochs);
        }
        ModelSerializer.writeModel(net, file, false);
        LOG.info("trained {} (seed {}, {} epochs) in {} s -> {}", shape.id(), seed, epochs,
                String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9), file);
        return net;
    }

    /**
     * Trains (or finds cached) every network of the study.
     *
     * @param args {@code <dir> <epochs> <network,...> <seed,...> [training images, default all]}
     * @throws IOException when data or cache fail
     */
    public static void main(String[] args) throws IOException {
        org.integral4j.layers.OneDnn.enableForDl4jLayers();
        Path dir = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        FashionMnistData train = org.integral4j.examples.data.FashionMnist.locate()
                .load(org.integral4j.examples.data.FashionMnist.Split.TRAIN);
        if (args.length > 4 && Integer.parseInt(args[4]) < train.size()) {
            train = train.stratifiedSubset(Integer.parseInt(args[4]), 1);
        }
        for (String s : args[3].split(",")) {
            for (String n : List.of(args[2].split(","))) {
                trained(Shape.of(n), Long.parseLong(s), epochs, train, dir);
            }
        }
    }
}
