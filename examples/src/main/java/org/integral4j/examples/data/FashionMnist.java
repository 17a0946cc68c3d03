package org.integral4j.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST: 70,000 grey-scale 28x28 images of 10 kinds of clothing (60,000 train, 10,000 test),
 * from Zalando Research under the MIT licence (H. Xiao, K. Rasul, R. Vollgraf, arXiv:1708.07747).
 *
 * <p>A {@code FashionMnist} is a located source of the four IDX files; {@link #load(Split)} reads
 * one split into memory as {@link FashionMnistData}, which gives ND4J arrays (features
 * {@code (batch, 1, 28, 28)} float in [0, 1], one-hot labels {@code (batch, 10)}) and iterators.
 *
 * <p>Where the files come from ({@link #locate()}, first match wins, and the choice is logged):
 * <ol>
 *   <li>a directory passed to {@link #locate(Path)} or {@link #fromDirectory(Path)};</li>
 *   <li>the directory in system property {@value #DIR_PROPERTY}, else in environment variable
 *       {@value #DIR_ENV} (a set but unusable value is an error, never silently skipped);</li>
 *   <li>{@link #SYSTEM_DIR}, where Debian's {@code apt-get install dataset-fashion-mnist} puts them;</li>
 *   <li>a stratified subset embedded in this jar ({@value #EMBEDDED_TRAIN_SIZE} train and
 *       {@value #EMBEDDED_TEST_SIZE} test images, a sixth and a fifth of each class), so programs run offline
 *       anywhere; see {@link MakeEmbeddedSubset}.</li>
 * </ol>
 * A directory holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each plain or with a
 * {@code .gz} suffix, as distributed by the Fashion-MNIST project.
 */
public final class FashionMnist {

    private static final Logger log = LoggerFactory.getLogger(FashionMnist.class);

    /** System property naming a directory with the four IDX files. */
    public static final String DIR_PROPERTY = "integral4j.fashionMnist.dir";
    /** Environment variable naming a directory with the four IDX files (after {@link #DIR_PROPERTY}). */
    public static final String DIR_ENV = "FASHION_MNIST_DIR";
    /** Directory of the Debian package {@code dataset-fashion-mnist}. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Class-path folder of the embedded subset (absolute resource name, with trailing slash). */
    public static final String EMBEDDED_RESOURCE_DIR = "/org/integral4j/examples/data/fashion-mnist-subset/";
    /** Training images in the embedded subset (1000 per class). */
    public static final int EMBEDDED_TRAIN_SIZE = 10_000;
    /** Test images in the embedded subset (200 per class). */
    public static final int EMBEDDED_TEST_SIZE = 2000;

    /** Image height in pixels. */
    public static final int HEIGHT = 28;
    /** Image width in pixels. */
    public static final int WIDTH = 28;
    /** Colour channels (grey-scale). */
    public static final int CHANNELS = 1;
    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Class names, indexed by label, as published by Zalando Research. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Gzip suffix tried after the plain file name. */
    private static final String GZ = ".gz";

    /** The two published splits. */
    public enum Split {
        /** 60,000 training images (files {@code train-*}). */
        TRAIN("train", 60_000),
        /** 10,000 test images (files {@code t10k-*}). */
        TEST("t10k", 10_000);

        private final String filePrefix;
        private final int fullSize;

        Split(String filePrefix, int fullSize) {
            this.filePrefix = filePrefix;
            this.fullSize = fullSize;
        }

        /** @return the image file name without {@code .gz}, e.g. {@code train-images-idx3-ubyte} */
        public String imagesFileName() {
            return filePrefix + "-images-idx3-ubyte";
        }

        /** @return the label file name without {@code .gz}, e.g. {@code train-labels-idx1-ubyte} */
        public String labelsFileName() {
            return filePrefix + "-labels-idx1-ubyte";
        }

        /** @return the number of images in the full published split */
        public int fullSize() {
            return fullSize;
        }
    }

    /** Where a {@link FashionMnist} found its files. */
    public enum SourceKind {
        /** A directory given by the caller. */
        DIRECTORY,
        /** The directory in system property {@value FashionMnist#DIR_PROPERTY}. */
        SYSTEM_PROPERTY,
        /** The directory in environment variable {@value FashionMnist#DIR_ENV}. */
        ENVIRONMENT,
        /** {@link FashionMnist#SYSTEM_DIR}, the Debian package's directory. */
        SYSTEM_PACKAGE,
        /** The small subset embedded in the jar. */
        EMBEDDED
    }

    private final SourceKind kind;
    /** Null for {@link SourceKind#EMBEDDED}. */
    private final Path directory;

    private FashionMnist(SourceKind kind, Path directory) {
        this.kind = kind;
        this.directory = directory;
    }

    /**
     * Locates the data by the rules in the class documentation, without an explicit directory.
     *
     * @return the first usable source; the embedded subset at worst
     * @throws IllegalArgumentException if {@value #DIR_PROPERTY} or {@value #DIR_ENV} is set to a
     *                                  directory that lacks the files
     */
    public static FashionMnist locate() {
        return locate(null);
    }

    /**
     * Locates the data by the rules in the class documentation.
     *
     * @param directory directory to use, or {@code null} to fall through to the property, the
     *                  environment, the system directory and the embedded subset
     * @return the first usable source
     * @throws IllegalArgumentException if {@code directory} (or a configured directory) lacks the files
     */
    public static FashionMnist locate(Path directory) {
        return resolve(directory, System::getProperty, System::getenv, SYSTEM_DIR);
    }

    /**
     * Uses the four IDX files in {@code directory}.
     *
     * @param directory directory with {@code train-images-idx3-ubyte[.gz]} and the three others
     * @return that source
     * @throws IllegalArgumentException if a file is missing; the message lists the missing ones
     */
    public static FashionMnist fromDirectory(Path directory) {
        return resolve(Objects.requireNonNull(directory, "directory"), k -> null, k -> null, SYSTEM_DIR);
    }

    /** @return the subset embedded in the jar (10,000 train, 2000 test images, stratified) */
    public static FashionMnist embedded() {
        FashionMnist source = new FashionMnist(SourceKind.EMBEDDED, null);
        log.info("Fashion-MNIST source: {}", source);
        return source;
    }

    /**
     * The selection logic of {@link #locate(Path)} with its inputs made explicit, for tests.
     *
     * @param explicit    directory from the caller, or null
     * @param properties  system-property lookup
     * @param environment environment-variable lookup
     * @param systemDir   the Debian package directory to try
     */
    static FashionMnist resolve(Path explicit, UnaryOperator<String> properties,
                                UnaryOperator<String> environment, Path systemDir) {
        FashionMnist source;
        if (explicit != null) {
            source = requireComplete(SourceKind.DIRECTORY, explicit, "the directory passed in");
        } else if (isSet(properties.apply(DIR_PROPERTY))) {
            source = requireComplete(SourceKind.SYSTEM_PROPERTY, Path.of(properties.apply(DIR_PROPERTY).trim()),
                    "system property " + DIR_PROPERTY);
        } else if (isSet(environment.apply(DIR_ENV))) {
            source = requireComplete(SourceKind.ENVIRONMENT, Path.of(environment.apply(DIR_ENV).trim()),
                    "environment variable " + DIR_ENV);
        } else {
            List<String> missing = missingFiles(systemDir);
            if (missing.isEmpty()) {
                source = new FashionMnist(SourceKind.SYSTEM_PACKAGE, systemDir);
            } else {
                if (Files.isDirectory(systemDir)) {
                    log.warn("Fashion-MNIST directory {} lacks {}; falling back to the embedded subset",
                            systemDir, missing);
                } else {
                    log.info("Fashion-MNIST not found ({} unset, {} unset, no {}); using the embedded subset of "
                                    + "{} train / {} test images. For the full data: apt-get install "
                                    + "dataset-fashion-mnist, or point {} at the IDX files",
                            DIR_PROPERTY, DIR_ENV, systemDir, EMBEDDED_TRAIN_SIZE, EMBEDDED_TEST_SIZE, DIR_PROPERTY);
                }
                source = new FashionMnist(SourceKind.EMBEDDED, null);
            }
        }
        log.info("Fashion-MNIST source: {}", source);
        return source;
    }

    /** @return how this source was found */
    public SourceKind sourceKind() {
        return kind;
    }

    /** @return the directory of the IDX files, empty for the embedded subset */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** @return whether this is the small embedded subset rather than the full data set */
    public boolean isEmbedded() {
        return kind == SourceKind.EMBEDDED;
    }

    /**
     * @param split which split
     * @return the number of images {@link #load(Split)} will return for it (without reading):
     *         {@link Split#fullSize()} for a directory, the subset size for the embedded data
     */
    public int expectedSize(Split split) {
        if (isEmbedded()) {
            return split == Split.TRAIN ? EMBEDDED_TRAIN_SIZE : EMBEDDED_TEST_SIZE;
        }
        return split.fullSize();
    }

    /**
     * Reads one split into memory.
     *
     * @param split which split
     * @return its images and labels (60,000 / 10,000 from a full directory, 10,000 / 2000 embedded)
     * @throws IdxFormatException if a file is corrupt (wrong magic number, truncated, ...)
     * @throws IOException        if a file cannot be read
     * @throws IllegalArgumentException if images and labels do not match
     */
    public FashionMnistData load(Split split) throws IOException {
        long start = System.nanoTime();
        IdxData images;
        IdxData labels;
        String where;
        if (isEmbedded()) {
            where = "the embedded subset " + EMBEDDED_RESOURCE_DIR;
            images = readResource(split.imagesFileName() + GZ, IdxReader.IMAGE_RANK);
            labels = readResource(split.labelsFileName() + GZ, IdxReader.LABEL_RANK);
        } else {
            where = directory.toString();
            images = IdxReader.read(existing(directory, split.imagesFileName()), IdxReader.IMAGE_RANK);
            labels = IdxReader.read(existing(directory, split.labelsFileName()), IdxReader.LABEL_RANK);
        }
        FashionMnistData data = FashionMnistData.of(images, labels,
                split.name().toLowerCase(Locale.ROOT) + " from " + where);
        log.info("Loaded Fashion-MNIST {}: {} images from {} in {} ms", split, data.size(), where,
                (System.nanoTime() - start) / 1_000_000);
        return data;
    }

    /**
     * @return {@code load(Split.TRAIN)}
     * @throws IOException as for {@link #load(Split)}
     */
    public FashionMnistData train() throws IOException {
        return load(Split.TRAIN);
    }

    /**
     * @return {@code load(Split.TEST)}
     * @throws IOException as for {@link #load(Split)}
     */
    public FashionMnistData test() throws IOException {
        return load(Split.TEST);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EMBEDDED -> "embedded subset (" + EMBEDDED_TRAIN_SIZE + " train, " + EMBEDDED_TEST_SIZE
                    + " test images, class path " + EMBEDDED_RESOURCE_DIR + ")";
            case DIRECTORY -> "directory " + directory;
            case SYSTEM_PROPERTY -> "directory " + directory + " (system property " + DIR_PROPERTY + ")";
            case ENVIRONMENT -> "directory " + directory + " (environment variable " + DIR_ENV + ")";
            case SYSTEM_PACKAGE -> "directory " + directory + " (Debian package dataset-fashion-mnist)";
        };
    }

    private static IdxData readResource(String fileName, int rank) throws IOException {
        String resource = EMBEDDED_RESOURCE_DIR + fileName;
        try (InputStream in = FashionMnist.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class-path resource " + resource + " is missing: the examples jar was "
                        + "built without the embedded Fashion-MNIST subset (regenerate it with MakeEmbeddedSubset)");
            }
            return IdxReader.read(in, "class-path resource " + resource, rank);
        }
    }

    private static FashionMnist requireComplete(SourceKind kind, Path dir, String origin) {
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            String problem = Files.isDirectory(dir) ? "lacks " + missing : "is not a directory";
            throw new IllegalArgumentException("Fashion-MNIST directory " + dir.toAbsolutePath() + " from " + origin
                    + " " + problem + "; expected train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz). "
                    + (kind == SourceKind.DIRECTORY
                            ? "Fix the path, or call FashionMnist.locate() to search the usual places"
                            : "Fix the path, or unset it to use " + SYSTEM_DIR + " or the embedded subset"));
        }
        return new FashionMnist(kind, dir);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** @return the base names (without .gz) of the four files absent from {@code dir} */
    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (Split split : Split.values()) {
            for (String name : List.of(split.imagesFileName(), split.labelsFileName())) {
                if (find(dir, name) == null) {
                    missing.add(name + "[" + GZ + "]");
                }
            }
        }
        return missing;
    }

    /** @return {@code dir/name}, else {@code dir/name.gz}, else null */
    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + GZ);
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static Path existing(Path dir, String name) throws IOException {
        Path file = find(dir, name);
        if (file == null) {
            throw new NoSuchFileException(dir.resolve(name).toString(), null,
                    "neither it nor " + name + GZ + " exists (was it deleted after the source was located?)");
        }
        return file;
    }
}
