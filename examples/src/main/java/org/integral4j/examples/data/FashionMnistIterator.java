package org.integral4j.examples.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A {@link DataSetIterator} over {@link FashionMnistData} that builds each batch on demand from the
 * compact byte storage: features {@code (batch, 1, 28, 28)} float in [0, 1] (NCHW) and one-hot labels
 * {@code (batch, 10)} float. Each batch is a fresh pair of arrays, so the iterator may be wrapped in
 * DL4J's {@code AsyncDataSetIterator} ({@link #asyncSupported()} is true).
 *
 * <p><b>Shuffling.</b> Without {@link Builder#optShuffle(long)} batches follow file order. With it,
 * epoch {@code e} (0 for a new iterator, +1 per effective {@link #reset()}) visits the images in the
 * order of a Fisher-Yates shuffle driven by {@code new Random(mix(seed, e))}, so epoch {@code e}'s order
 * depends only on the seed and {@code e}, on any JVM. A {@code reset()} before any batch of the current
 * epoch was taken changes nothing, so the extra resets that DL4J's {@code fit} and {@code evaluate}
 * make do not skip an order.
 *
 * <p>Not thread-safe; wrap it in an {@code AsyncDataSetIterator} for prefetching.
 */
public final class FashionMnistIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    /** The images iterated over. */
    private final FashionMnistData data;
    /** Images per batch. */
    private final int batchSize;
    /** Whether each epoch is shuffled. */
    private final boolean shuffle;
    /** Shuffling seed (unused without shuffling). */
    private final long seed;
    /** Whether a final short batch is skipped. */
    private final boolean dropLast;
    /** Image indices in this epoch's visiting order. */
    private final int[] order;
    /** Applied to each batch, or null. */
    private DataSetPreProcessor preProcessor;
    /** Position in {@link #order} of the next image. */
    private int cursor;
    /** Current epoch, from 0. */
    private int epoch;

    private FashionMnistIterator(Builder b) {
        this.data = b.data;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.preProcessor = b.preProcessor;
        this.order = FashionMnistData.identity(data.size());
        shuffleForEpoch();
    }

    /**
     * @param data the images to iterate over (not modified)
     * @return a builder; {@link Builder#setBatchSize(int)} is required
     */
    public static Builder builder(FashionMnistData data) {
        return new Builder(data);
    }

    /** Builds a {@link FashionMnistIterator}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private final FashionMnistData data;
        private int batchSize;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private DataSetPreProcessor preProcessor;

        private Builder(FashionMnistData data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /**
         * @param batchSize images per batch, {@code >= 1} (required)
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Reshuffles every epoch, reproducibly (default: file order).
         *
         * @param seed shuffling seed
         * @return this builder
         */
        public Builder optShuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * @param dropLast whether to skip a final batch smaller than the batch size (default false)
         * @return this builder
         */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * @param preProcessor applied to every batch before it is returned (default none)
         * @return this builder
         */
        public Builder optPreProcessor(DataSetPreProcessor preProcessor) {
            this.preProcessor = preProcessor;
            return this;
        }

        /**
         * @return the iterator, positioned at the start of epoch 0
         * @throws IllegalArgumentException if the batch size was not set to a positive value
         */
        public FashionMnistIterator build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize
                        + "; call setBatchSize(n) before build()");
            }
            return new FashionMnistIterator(this);
        }
    }

    @Override
    public boolean hasNext() {
        int remaining = order.length - cursor;
        return dropLast ? remaining >= batchSize : remaining > 0;
    }

    /** @return the next batch of {@link #batch()} images (fewer at the end unless dropLast) */
    @Override
    public DataSet next() {
        return next(batchSize);
    }

    /**
     * @param num images wanted, {@code >= 1}
     * @return the next {@code min(num, remaining)} images: features {@code (n, 1, 28, 28)}, labels {@code (n, 10)}
     * @throws NoSuchElementException if the epoch is exhausted
     */
    @Override
    public DataSet next(int num) {
        if (num < 1) {
            throw new IllegalArgumentException("num must be >= 1, got " + num);
        }
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " of " + data.size()
                    + " images is exhausted; call reset() to start the next one");
        }
        int count = Math.min(num, order.length - cursor);
        DataSet ds = new DataSet(data.features(order, cursor, count), data.oneHotLabels(order, cursor, count));
        ds.setLabelNames(FashionMnist.CLASS_NAMES);
        cursor += count;
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** @return 784, the flattened feature size */
    @Override
    public int inputColumns() {
        return FashionMnistData.PIXELS;
    }

    /** @return 10 */
    @Override
    public int totalOutcomes() {
        return FashionMnist.NUM_CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /**
     * Starts the next epoch, reshuffled if shuffling is on; a no-op if no batch has been taken since
     * the epoch began.
     */
    @Override
    public void reset() {
        if (cursor == 0) {
            return;
        }
        cursor = 0;
        epoch++;
        shuffleForEpoch();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** @return the class names, indexed by label */
    @Override
    public List<String> getLabels() {
        return FashionMnist.CLASS_NAMES;
    }

    /** @return the current epoch: 0 for a new iterator, +1 per effective {@link #reset()} */
    public int epoch() {
        return epoch;
    }

    /** @return the number of images per epoch before dropLast */
    public int numExamples() {
        return data.size();
    }

    /** @return the number of batches in one epoch */
    public int batchesPerEpoch() {
        return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
    }

    private void shuffleForEpoch() {
        if (!shuffle) {
            return;
        }
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rng = new Random(mix(seed, epoch));
        FashionMnistData.partialShuffle(order, order.length, rng);
    }

    /** SplitMix64 finaliser of {@code seed + (epoch + 1) * golden ratio}: decorrelates nearby seeds. */
    static long mix(long seed, int epoch) {
        long z = seed + (epoch + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "FashionMnistIterator{" + data.size() + " images, batch " + batchSize
                + (shuffle ? ", shuffled (seed " + seed + ")" : ", file order")
                + (dropLast ? ", dropLast" : "") + ", epoch " + epoch + ", at " + cursor + "}";
    }
}
