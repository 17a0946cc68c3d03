package org.integral4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.integral4j.convert.IntegralModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, on a small budget: it runs end to end and writes its table (text, CSV), its plot and loadable models. */
class FashionMnistPipelineIT {

    @Test
    void mainJobRunsEndToEnd(@TempDir Path out) throws Exception {
        FashionMnistPipeline.main(new String[] {"--train", "2000", "--epochs", "1", "--finetune-epochs", "1", "--out",
            out.toString()});
        String results = Files.readString(out.resolve("results.txt"));
        assertTrue(results.contains("L1 baseline") && results.contains("50%"), results);
        java.util.List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(0).startsWith("width,params_pct,macs_pct,inn_no_training_pct") && csv.size() == 6, csv.toString());
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("accuracy.png").toFile());
        assertTrue(png != null && png.getWidth() == 800, "accuracy.png is a PNG chart");
        MultiLayerNetwork small = ModelSerializer.restoreMultiLayerNetwork(out.resolve("fashion-cnn-50pct.zip").toFile());
        IntegralModel inn = IntegralModel.load(out.resolve("fashion-cnn-integral.zip").toFile());
        assertTrue(small.numParams() < inn.network().numParams() / 2, "the exported network is smaller");
    }
}
