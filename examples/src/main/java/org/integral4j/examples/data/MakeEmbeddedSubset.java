package org.integral4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Regenerates the Fashion-MNIST subset embedded in the examples jar: a stratified sample of
 * {@value FashionMnist#EMBEDDED_TRAIN_SIZE} training images (1000 per class) and
 * {@value FashionMnist#EMBEDDED_TEST_SIZE} test images (200 per class), drawn by
 * {@link FashionMnistData#stratifiedSubset(int, long)} with seeds {@value #TRAIN_SEED} and
 * {@value #TEST_SEED}, kept in file order, written as gzipped IDX files.
 *
 * <p>Usage, from the repository root, with the full data installed
 * ({@code apt-get install -y dataset-fashion-mnist}):
 * <pre>
 * mvn -q -pl examples -am install -DskipTests
 * mvn -q -pl examples dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp "examples/target/classes:$(cat examples/cp.txt)" org.integral4j.examples.data.MakeEmbeddedSubset \
 *     [sourceDir=/usr/share/datasets/fashion-mnist] \
 *     [outputDir=examples/src/main/resources/org/integral4j/examples/data/fashion-mnist-subset]
 * </pre>
 * The sample depends only on the source files and the seeds; the gzip bytes also depend on the zlib
 * version, so tests compare decoded content.
 */
public final class MakeEmbeddedSubset {

    private static final Logger log = LoggerFactory.getLogger(MakeEmbeddedSubset.class);

    /** Seed of the training-subset draw. */
    public static final long TRAIN_SEED = 20170825L;
    /** Seed of the test-subset draw. */
    public static final long TEST_SEED = 20170826L;
    /** Default output folder, relative to the repository root. */
    public static final Path DEFAULT_OUTPUT =
            Path.of("examples/src/main/resources" + FashionMnist.EMBEDDED_RESOURCE_DIR);

    private MakeEmbeddedSubset() {
    }

    /**
     * @param args optional source directory, then optional output directory
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: MakeEmbeddedSubset [sourceDir] [outputDir], got "
                    + args.length + " arguments");
        }
        Path source = args.length > 0 ? Path.of(args[0]) : FashionMnist.SYSTEM_DIR;
        Path output = args.length > 1 ? Path.of(args[1]) : DEFAULT_OUTPUT;
        write(FashionMnist.fromDirectory(source), output);
    }

    /**
     * The embedded subset of one split, as {@link #write} draws it.
     *
     * @param full  the full split (60,000 train or 10,000 test images; not modified)
     * @param split which split {@code full} is
     * @return the stratified subset
     */
    public static FashionMnistData subset(FashionMnistData full, FashionMnist.Split split) {
        return split == FashionMnist.Split.TRAIN
                ? full.stratifiedSubset(FashionMnist.EMBEDDED_TRAIN_SIZE, TRAIN_SEED)
                : full.stratifiedSubset(FashionMnist.EMBEDDED_TEST_SIZE, TEST_SEED);
    }

    /**
     * Draws both subsets from {@code source} and writes the four {@code .gz} IDX files.
     *
     * @param source    the full data (not the embedded subset)
     * @param outputDir destination folder, created if needed (modified: four files replaced)
     * @throws IOException if reading or writing fails
     */
    public static void write(FashionMnist source, Path outputDir) throws IOException {
        if (source.isEmbedded()) {
            throw new IllegalArgumentException("the embedded subset cannot be drawn from itself; "
                    + "pass the directory of the full Fashion-MNIST files");
        }
        Files.createDirectories(outputDir);
        for (FashionMnist.Split split : FashionMnist.Split.values()) {
            FashionMnistData full = source.load(split);
            if (full.size() != split.fullSize()) {
                throw new IllegalArgumentException("expected the full " + split + " split of " + split.fullSize()
                        + " images in " + source + ", found " + full.size());
            }
            FashionMnistData sub = subset(full, split);
            Path images = outputDir.resolve(split.imagesFileName() + ".gz");
            Path labels = outputDir.resolve(split.labelsFileName() + ".gz");
            IdxWriter.write(images, sub.imagesIdx(), true);
            IdxWriter.write(labels, sub.labelsIdx(), true);
            log.info("Wrote {} ({} bytes) and {} ({} bytes): {} {} images, class counts {}", images,
                    Files.size(images), labels, Files.size(labels), sub.size(), split,
                    Arrays.toString(sub.classCounts()));
        }
    }
}
