package org.integral4j.convert.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.IntegralModel;
import org.integral4j.convert.IntegralWrapper;
import org.integral4j.convert.ResizeResult;
import org.integral4j.convert.graph.AnalysisOptions;
import org.integral4j.convert.network.Dl4jNetwork;
import org.integral4j.convert.network.NetworkType;
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

    static Stream<ZooCase> models() {
        return ZooNets.all().stream();
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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntegralWrapper.builder()
                    .inputTypes(c.inputType()).listener(phases).build().wrapModel(source.model()));
            assertTrue(e.getMessage().contains("not supported by the channel-group analysis")
                    && e.getMessage().contains("keepUnsupportedDiscrete(true)"), e.getMessage());
            assertEquals(List.of(), phases.done, "refused by the analysis, before any conversion step");
            options = AnalysisOptions.builder().keepUnsupportedDiscrete(true).build();
            checkEveryNodeListed(c, source, options, e.getMessage());
        }
        IntegralModel inn = IntegralWrapper.builder().inputTypes(c.inputType()).analysisOptions(options).build()
                .wrapModel(source.model());
        double innFull = relative(inn.output(x), expected);
        double exportFull = relative(Dl4jNetwork.of(inn.toDiscrete()).output(x)[0], expected);
        assertTrue(innFull <= FULL_SIZE, c + ": integral network at full size vs source " + innFull);
        assertTrue(exportFull <= FULL_SIZE, c + ": export at full size vs source " + exportFull);

        ResizeResult half = inn.resize(0.5);
        assertEquals(half.hasResizableGroups(), half.changed(), c + ": " + half);
        INDArray innHalf = inn.output(x);
        Model small = inn.toDiscrete();
        Dl4jNetwork reloaded = writeAndRestore(Dl4jNetwork.of(small), dir.resolve(c.name() + ".zip").toFile());
        double reduced = relative(reloaded.output(x)[0], innHalf);
        assertTrue(reduced <= REDUCED, c + ": restored export at half width vs integral network " + reduced);
        assertEquals(small.numParams(), reloaded.numParams());
        assertTrue(!half.changed() || small.numParams() < source.numParams(), c + ": the export is smaller");
        LOG.info("{}: {} groups ({} resizable, {}% of the parameters), full size {} / {}, half width {}, params {} ->"
                        + " {}, {} s", c, inn.analysis().groups().size(), inn.groupNames().size(),
                Math.round(100 * half.resizableShare()), innFull, exportFull, reduced, source.numParams(),
                small.numParams(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    }

    /** The refusal lists every node that the conversion then keeps discrete. */
    private static void checkEveryNodeListed(ZooCase c, Dl4jNetwork source, AnalysisOptions keep, String message) {
        IntegralModel probe = IntegralWrapper.builder().inputTypes(c.inputType()).analysisOptions(keep).permute(false)
                .build().wrapModel(source.model());
        List<String> kept = List.copyOf(probe.analysis().unsupportedNodes().keySet());
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
