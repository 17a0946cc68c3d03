package org.integral4j.examples.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled Fashion-MNIST images held compactly in memory as unsigned bytes (784 bytes per image),
 * converted to ND4J arrays only on request: features {@code (batch, 1, 28, 28)} float in [0, 1]
 * (pixel / 255, NCHW as DL4J's CNN layers expect) and one-hot labels {@code (batch, 10)} float.
 *
 * <p>Immutable; subsets ({@link #first}, {@link #randomSubset}, {@link #stratifiedSubset},
 * {@link #select}) are new objects that copy the selected images. Obtain instances from
 * {@link FashionMnist#load(FashionMnist.Split)} or {@link #of(IdxData, IdxData, String)}.
 */
public final class FashionMnistData implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Pixels per image: {@code 28 * 28}. */
    public static final int PIXELS = FashionMnist.HEIGHT * FashionMnist.WIDTH;

    private static final float[] UNIT_SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT_SCALE[v] = v / 255f;
        }
    }

    /** Images {@code (size, 28, 28)} as unsigned bytes, row-major. */
    private final byte[] pixels;
    /** Labels {@code (size)}, each in [0, 10). */
    private final byte[] labels;
    /** Origin of the images, for messages. */
    private final String description;

    private FashionMnistData(byte[] pixels, byte[] labels, String description) {
        this.pixels = pixels;
        this.labels = labels;
        this.description = description;
    }

    /**
     * Pairs an image tensor with a label tensor after checking that they fit together.
     *
     * @param images      IDX images {@code (count, 28, 28)} (not modified; shared, not copied)
     * @param labels      IDX labels {@code (count)}, each in {@code [0, 10)} (not modified)
     * @param description where the data came from, for logs and {@link #toString()}
     * @return the labelled images
     * @throws IllegalArgumentException if the images are not 28x28, the counts differ, or a label is
     *                                  out of range (the message names {@code description})
     */
    public static FashionMnistData of(IdxData images, IdxData labels, String description) {
        if (images.rank() != 3 || images.dim(1) != FashionMnist.HEIGHT || images.dim(2) != FashionMnist.WIDTH) {
            throw new IllegalArgumentException("Fashion-MNIST images must have dims (count, 28, 28), got "
                    + Arrays.toString(images.dims()) + " in " + description);
        }
        if (labels.rank() != 1) {
            throw new IllegalArgumentException("Fashion-MNIST labels must have dims (count), got "
                    + Arrays.toString(labels.dims()) + " in " + description);
        }
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("image and label files disagree in " + description + ": "
                    + images.count() + " images but " + labels.count()
                    + " labels; the two files must come from the same split (train or t10k)");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= FashionMnist.NUM_CLASSES) {
                throw new IllegalArgumentException("label " + label + " at index " + i + " in " + description
                        + " is outside [0, " + FashionMnist.NUM_CLASSES + ")");
            }
        }
        return new FashionMnistData(images.data(), labelBytes, description);
    }

    /** @return the number of images */
    public int size() {
        return labels.length;
    }

    /** @return where these images came from, e.g. {@code "train from /usr/share/datasets/fashion-mnist"} */
    public String description() {
        return description;
    }

    /**
     * @param index image index in {@code [0, size())}
     * @return its class in {@code [0, 10)}; see {@link FashionMnist#CLASS_NAMES}
     */
    public int label(int index) {
        return labels[index] & 0xFF;
    }

    /**
     * @param index image index in {@code [0, size())}
     * @param row   row in {@code [0, 28)}
     * @param col   column in {@code [0, 28)}
     * @return the raw pixel in {@code [0, 255]} (0 is background)
     */
    public int pixel(int index, int row, int col) {
        return pixels[index * PIXELS + row * FashionMnist.WIDTH + col] & 0xFF;
    }

    /** @return the number of images of each class, length 10 */
    public int[] classCounts() {
        int[] counts = new int[FashionMnist.NUM_CLASSES];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /**
     * @param n number of images, in {@code [0, size()]}
     * @return the first {@code n} images in file order
     */
    public FashionMnistData first(int n) {
        checkSubsetSize(n);
        return new FashionMnistData(Arrays.copyOf(pixels, n * PIXELS), Arrays.copyOf(labels, n),
                description + ", first " + n);
    }

    /**
     * A uniform random sample without replacement, kept in file order.
     *
     * @param n    number of images, in {@code [0, size()]}
     * @param seed seed of the {@link Random} that draws the sample (partial Fisher-Yates)
     * @return the sample
     */
    public FashionMnistData randomSubset(int n, long seed) {
        checkSubsetSize(n);
        int[] all = identity(size());
        partialShuffle(all, n, new Random(seed));
        int[] chosen = Arrays.copyOf(all, n);
        Arrays.sort(chosen);
        return selectUnchecked(chosen, description + ", random " + n + " (seed " + seed + ")");
    }

    /**
     * A random sample that keeps the class proportions: class {@code k} gets
     * {@code floor(n * count_k / size())} images, and the remaining ones go to the classes with the
     * largest fractional parts (ties to the lower class). On Fashion-MNIST, whose classes are equal,
     * {@code n = 2000} gives 200 per class. Kept in file order.
     *
     * @param n    number of images, in {@code [0, size()]}
     * @param seed seed of the {@link Random} that draws within each class, classes in order 0..9
     * @return the sample
     */
    public FashionMnistData stratifiedSubset(int n, long seed) {
        checkSubsetSize(n);
        return selectUnchecked(stratifiedIndices(n, seed),
                description + ", stratified " + n + " (seed " + seed + ")");
    }

    /**
     * The indices that {@link #stratifiedSubset(int, long)} selects, ascending.
     *
     * @param n    number of images, in {@code [0, size()]}
     * @param seed seed as for {@link #stratifiedSubset(int, long)}
     * @return {@code n} distinct ascending indices
     */
    public int[] stratifiedIndices(int n, long seed) {
        checkSubsetSize(n);
        int total = size();
        int[] counts = classCounts();
        int classes = counts.length;
        int[] quota = new int[classes];
        long[] remainder = new long[classes];
        int assigned = 0;
        for (int k = 0; k < classes; k++) {
            long scaled = (long) n * counts[k];
            quota[k] = total == 0 ? 0 : (int) (scaled / total);
            remainder[k] = total == 0 ? 0 : scaled % total;
            assigned += quota[k];
        }
        for (int left = n - assigned; left > 0; left--) {
            int best = -1;
            for (int k = 0; k < classes; k++) {
                if (quota[k] < counts[k] && (best < 0 || remainder[k] > remainder[best])) {
                    best = k;
                }
            }
            quota[best]++;
            remainder[best] = -1;
        }
        List<int[]> byClass = new ArrayList<>(classes);
        int[] fill = new int[classes];
        for (int k = 0; k < classes; k++) {
            byClass.add(new int[counts[k]]);
        }
        for (int i = 0; i < total; i++) {
            int k = label(i);
            byClass.get(k)[fill[k]++] = i;
        }
        Random rng = new Random(seed);
        int[] chosen = new int[n];
        int at = 0;
        for (int k = 0; k < classes; k++) {
            int[] members = byClass.get(k);
            partialShuffle(members, quota[k], rng);
            System.arraycopy(members, 0, chosen, at, quota[k]);
            at += quota[k];
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * @param indices image indices in {@code [0, size())}, in the order wanted (not modified);
     *                repeats are allowed
     * @return those images
     * @throws IllegalArgumentException if an index is out of range
     */
    public FashionMnistData select(int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IllegalArgumentException("index " + indices[i] + " at position " + i
                        + " is outside [0, " + size() + ") of " + description);
            }
        }
        return selectUnchecked(indices.clone(), description + ", " + indices.length + " selected");
    }

    /**
     * All images as one array; for the full training split this is 188 MB, so prefer an iterator.
     *
     * @return features {@code (size, 1, 28, 28)} float in [0, 1], 'c' order
     */
    public INDArray features() {
        return features(identity(size()), 0, size());
    }

    /** @return one-hot labels {@code (size, 10)} float */
    public INDArray oneHotLabels() {
        return oneHotLabels(identity(size()), 0, size());
    }

    /** @return features {@code (size, 1, 28, 28)} and one-hot labels {@code (size, 10)} as one data set */
    public DataSet toDataSet() {
        DataSet ds = new DataSet(features(), oneHotLabels());
        ds.setLabelNames(FashionMnist.CLASS_NAMES);
        return ds;
    }

    /**
     * An iterator in file order.
     *
     * @param batchSize images per batch, {@code >= 1}
     * @return a resettable iterator; the last batch may be smaller
     */
    public FashionMnistIterator iterator(int batchSize) {
        return FashionMnistIterator.builder(this).setBatchSize(batchSize).build();
    }

    /**
     * An iterator that reshuffles every epoch, reproducibly for a given seed.
     *
     * @param batchSize images per batch, {@code >= 1}
     * @param seed      shuffling seed; see {@link FashionMnistIterator}
     * @return a resettable iterator; the last batch may be smaller
     */
    public FashionMnistIterator iterator(int batchSize, long seed) {
        return FashionMnistIterator.builder(this).setBatchSize(batchSize).optShuffle(seed).build();
    }

    /** @return images as an IDX tensor {@code (size, 28, 28)}, e.g. for {@link IdxWriter} */
    public IdxData imagesIdx() {
        return new IdxData(new int[] {size(), FashionMnist.HEIGHT, FashionMnist.WIDTH}, pixels.clone());
    }

    /** @return labels as an IDX tensor {@code (size)} */
    public IdxData labelsIdx() {
        return new IdxData(new int[] {size()}, labels.clone());
    }

    /**
     * Features of {@code order[from .. from+count)}.
     *
     * @return {@code (count, 1, 28, 28)} float in [0, 1]
     */
    INDArray features(int[] order, int from, int count) {
        float[] buf = new float[count * PIXELS];
        for (int b = 0; b < count; b++) {
            int src = order[from + b] * PIXELS;
            int dst = b * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                buf[dst + p] = UNIT_SCALE[pixels[src + p] & 0xFF];
            }
        }
        return Nd4j.create(buf, new long[] {count, FashionMnist.CHANNELS, FashionMnist.HEIGHT, FashionMnist.WIDTH},
                DataType.FLOAT);
    }

    /**
     * One-hot labels of {@code order[from .. from+count)}.
     *
     * @return {@code (count, 10)} float
     */
    INDArray oneHotLabels(int[] order, int from, int count) {
        float[] buf = new float[count * FashionMnist.NUM_CLASSES];
        for (int b = 0; b < count; b++) {
            buf[b * FashionMnist.NUM_CLASSES + label(order[from + b])] = 1f;
        }
        return Nd4j.create(buf, new long[] {count, FashionMnist.NUM_CLASSES}, DataType.FLOAT);
    }

    static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Fisher-Yates on the first {@code k} positions: afterwards {@code a[0..k)} is a uniform sample. */
    static void partialShuffle(int[] a, int k, Random rng) {
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private FashionMnistData selectUnchecked(int[] indices, String newDescription) {
        byte[] p = new byte[indices.length * PIXELS];
        byte[] l = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * PIXELS, p, i * PIXELS, PIXELS);
            l[i] = labels[indices[i]];
        }
        return new FashionMnistData(p, l, newDescription);
    }

    private void checkSubsetSize(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("subset size must be in [0, " + size() + "] for "
                    + description + ", got " + n);
        }
    }

    @Override
    public String toString() {
        return "FashionMnistData{" + size() + " images, " + description + ", class counts "
                + Arrays.toString(classCounts()) + "}";
    }
}
