package org.integral4j.convert.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.CompressionMetrics;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.ResizeResult;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.graph.ChannelGroupAnalysis;
import org.integral4j.convert.graph.ChannelGroupAnalyzer;
import org.integral4j.convert.graph.ModelView;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkType;
import org.integral4j.convert.permutation.TspSolver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model of DL4J's zoo that DL4J can build (random weights, small inputs, double precision)
 * converts, by default or with the one documented option {@code keepUnsupportedDiscrete(true)};
 * where that option is needed, the default conversion is refused by the analysis, before any
 * conversion step, in one message that lists every offending node. The integral network and its
 * export reproduce the source at full size (relative difference at most 1e-10), and the export at
 * half width is a plain DL4J network that {@code ModelSerializer} writes and restores without
 * Integral4J, computing what the integral network computes at that width.
 */
class ZooCoverageIT {

    private static final Logger LOG = LoggerFactory.getLogger(ZooCoverageIT.class);
    /** Relative difference allowed between the source and its conversion at full size (double precision). */
    private static final double FULL_SIZE = 1e-10;
    /** Relative difference allowed between the integral network at half width and its restored export. */
    private static final double REDUCED = 1e-9;
    /** Relative difference allowed between the library's MAC count and the independent one. */
    private static final double MACS = 0.01;
    /** The one documented option for models with unsupported layers. */
    private static final AnalysisOptions KEEP = AnalysisOptions.builder().keepUnsupportedDiscrete(true).build();
    /** One local search from the identity order per group, at most 0.2 s. */
    private static final TspSolver QUICK_TSP = TspSolver.builder().optRestarts(0).optPerturbations(100)
            .optTimeLimit(Duration.ofMillis(200)).build();

    /** Every case, or those named in the system property {@code zoo.models} (comma-separated). */
    static Stream<ZooCase> models() {
        String only = System.getProperty("zoo.models", "");
        List<String> names = List.of(only.split(","));
        return ZooNets.all().stream().filter(c -> only.isBlank() || names.contains(c.name()));
    }

    /** max |a - b| / max |b|. */
    static double relative(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-300, b.amaxNumber().doubleValue());
    }

    /** Records the conversion phases that completed. */
    private static final class Phases implements ConversionListener {
        final List<String> done = new ArrayList<>();

        @Override
        public void phaseDone(String phase, double millis) {
            done.add(phase);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void convertsExactlyAndExportsAReloadablePlainNetwork(ZooCase c, @TempDir Path dir) throws IOException {
        long t0 = System.nanoTime();
        Dl4jNetwork source = c.network();
        INDArray x = c.input(2, 7);
        INDArray expected = source.output(x)[0];
        AnalysisOptions options = AnalysisOptions.defaults();
        if (c.needsKeepOption()) {
            Phases phases = new Phases();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrapper(c, options)
                    .listener(phases).build().wrapModel(source.model()));
            assertTrue(e.getMessage().contains("not supported by the channel-group analysis")
                    && e.getMessage().contains("keepUnsupportedDiscrete(true)"), e.getMessage());
            assertEquals(List.of(), phases.done, "refused by the analysis, before any conversion step");
            checkEveryNodeListed(c, source, KEEP, e.getMessage());
        }
        long t1 = System.nanoTime();
        IntegralModel inn = wrapper(c, c.needsKeepOption() ? KEEP : options).build().wrapModel(source.model());
        long t2 = System.nanoTime();
        double full = relative(inn.output(x), expected);
        assertTrue(full <= FULL_SIZE, c + ": integral network at full size vs source " + full);

        ResizeResult half = inn.resize(0.5);
        assertEquals(half.hasResizableGroups(), half.changed(), c + ": " + half);
        INDArray innHalf = inn.output(x);
        Model small = inn.toDiscrete();
        long t3 = System.nanoTime();
        Dl4jNetwork reloaded = writeAndRestore(Dl4jNetwork.of(small), dir.resolve(c.name() + ".zip").toFile());
        long t4 = System.nanoTime();
        double reduced = relative(reloaded.output(x)[0], innHalf);
        assertTrue(reduced <= REDUCED, c + ": restored export at half width vs integral network " + reduced);
        assertEquals(small.numParams(), reloaded.numParams());
        assertTrue(!half.changed() || small.numParams() < source.numParams(), c + ": the export is smaller");

        CompressionMetrics m = inn.metrics(c.inputType());
        assertEquals(source.numParams(), m.paramsFull(), c + ": full means the source network");
        assertEquals(small.numParams(), m.paramsCurrent(), c + ": current means the export");
        long macsFull = IndependentCount.macs(source, x);
        long macsHalf = IndependentCount.macs(reloaded, x);
        assertEquals(macsFull, m.macsFull(), MACS * macsFull, c + ": MACs of the source");
        assertEquals(macsHalf, m.macsCurrent(), MACS * macsHalf, c + ": MACs of the export");
        LOG.info("{}: {} groups ({} resizable, {}% of the parameters), full size {}, half width {}, params {} -> {},"
                        + " MACs {} -> {} (independent count {} -> {}), {} s (source and refusal {}, conversion {},"
                        + " resize and export {}, write and restore {}, counts {})", c, inn.analysis().groups().size(),
                inn.groupNames().size(), Math.round(100 * half.resizableShare()), full, reduced, source.numParams(),
                small.numParams(), m.macsFull(), m.macsCurrent(), macsFull, macsHalf, seconds(t0, System.nanoTime()),
                seconds(t0, t1), seconds(t1, t2), seconds(t2, t3), seconds(t3, t4), seconds(t4, System.nanoTime()));
    }

    private static String seconds(long from, long to) {
        return String.format(Locale.ROOT, "%.1f", (to - from) / 1e9);
    }

    /**
     * The conversion as a user runs it, with a quick TSP solver (the order found does not matter
     * to what is checked here; the default solver spends up to 2 s per group), without the
     * permutation for {@link ZooNets#PLAIN_CHAINS_WITH_WIDE_DENSE}.
     */
    private static IntegralWrapper.Builder wrapper(ZooCase c, AnalysisOptions options) {
        return IntegralWrapper.builder().inputTypes(c.inputType()).analysisOptions(options).tspSolver(QUICK_TSP)
                .permute(!ZooNets.PLAIN_CHAINS_WITH_WIDE_DENSE.contains(c.name()));
    }

    /** The refusal lists every node that the conversion then keeps discrete, one line each. */
    private static void checkEveryNodeListed(ZooCase c, Dl4jNetwork source, AnalysisOptions keep, String message) {
        ChannelGroupAnalysis analysis = ChannelGroupAnalyzer.analyze(ModelView.of(source, c.inputType()),
                keep.toBuilder().requireIntegralLayers(true).build());
        List<String> kept = List.copyOf(analysis.unsupportedNodes().keySet());
        assertFalse(kept.isEmpty(), c + ": unsupported nodes are kept discrete");
        for (String node : kept) {
            assertTrue(message.contains("node '" + node + "'"), c + ": the message lists " + node);
        }
        assertEquals(kept.size(), message.split("\n  - node '", -1).length - 1, c + ": one line per node");
    }

    /** Writes a plain network with DL4J's ModelSerializer and restores it (no Integral4J class in its configuration). */
    static Dl4jNetwork writeAndRestore(Dl4jNetwork plain, File file) throws IOException {
        assertFalse(plain.configuration().toJson().contains("org.integral4j"), "only DL4J classes in the configuration");
        ModelSerializer.writeModel(plain.model(), file, false);
        return plain.type() == NetworkType.GRAPH ? Dl4jNetwork.of(ModelSerializer.restoreComputationGraph(file, false))
                : Dl4jNetwork.of(ModelSerializer.restoreMultiLayerNetwork(file, false));
    }
}
