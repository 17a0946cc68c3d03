package org.integral4j.examples;

import org.integral4j.function.WeightFunction;
import org.integral4j.grid.CompositeGrid;
import org.integral4j.grid.Grid1D;
import org.integral4j.quadrature.GaussLegendreQuadrature;
import org.integral4j.quadrature.Integration;
import org.integral4j.quadrature.Quadrature;
import org.integral4j.quadrature.RectangleQuadrature;
import org.integral4j.quadrature.SimpsonQuadrature;
import org.integral4j.quadrature.TrapezoidalQuadrature;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tour of integral-core: numerical integration with every rule, and a convolution weight turned
 * into a function, reproduced exactly at full size and resampled at smaller sizes.
 */
public final class CoreDemo {

    private static final Logger LOG = LoggerFactory.getLogger(CoreDemo.class);

    private CoreDemo() {
    }

    /**
     * Runs the tour.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        double exact = 2 * Math.sin(3.0) / 3.0;
        LOG.info("Integral of cos(3x) over [-1, 1] = {}", String.format("%.10f", exact));
        Object[][] rules = {
            {TrapezoidalQuadrature.INSTANCE, Grid1D.uniform(33)},
            {new RectangleQuadrature(RectangleQuadrature.Rule.MIDPOINT), Grid1D.cellCentered(33)},
            {SimpsonQuadrature.INSTANCE, Grid1D.uniform(33)},
            {GaussLegendreQuadrature.INSTANCE, Grid1D.legendre(8)},
        };
        for (Object[] r : rules) {
            Quadrature q = (Quadrature) r[0];
            Grid1D g = (Grid1D) r[1];
            double v = Integration.integrate(x -> Math.cos(3 * x), g, q);
            LOG.info("  {} with {} points: {} (error {})", String.format("%-17s", q.name()), g.size(),
                    String.format("%.10f", v), String.format("%.2e", Math.abs(v - exact)));
        }

        WeightFunction conv = WeightFunction.builder(64, 32, 3, 3).name("conv").continuousAxes(0, 1)
                .quadrature(TrapezoidalQuadrature.INSTANCE, 1).build();
        INDArray w = Nd4j.rand(DataType.FLOAT, 64, 32, 3, 3).subi(0.5);
        INDArray lambda = conv.rightInverse(w);
        INDArray back = conv.sample(lambda, Grid1D.uniform(64), Grid1D.uniform(32));
        LOG.info("{}", conv);
        LOG.info("  full size: max |sample(rightInverse(W)) - W| = {}",
                String.format("%.2e", back.sub(w).amaxNumber().doubleValue()));
        for (int[] size : new int[][] {{48, 24}, {32, 16}, {16, 8}}) {
            INDArray smaller = conv.sample(lambda, Grid1D.uniform(size[0]), Grid1D.uniform(size[1]));
            LOG.info("  resampled to {}x{}: shape {}", size[0], size[1], java.util.Arrays.toString(smaller.shape()));
        }

        CompositeGrid concat = CompositeGrid.of(16, 8);
        Grid1D resized = concat.compose(Grid1D.uniform(8), Grid1D.uniform(8));
        LOG.info("Concatenated axis 16+8 with the first part resized to 8: {} points from {} to {}", resized.size(),
                resized.point(0), resized.point(resized.size() - 1));
    }
}
