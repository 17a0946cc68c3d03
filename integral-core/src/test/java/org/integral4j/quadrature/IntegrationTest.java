package org.integral4j.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.integral4j.grid.Grid1D;
import org.integral4j.grid.ProductGrid;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class IntegrationTest {

    @Test
    void threeDimensionalPolynomialIsExactWithGaussLegendre() {
        ProductGrid g = ProductGrid.of(Grid1D.legendre(3), Grid1D.legendre(4), Grid1D.legendre(2));
        // integral of x^4 y^6 (1 + z) over [-1,1]^3 = (2/5)(2/7)(2).
        double got = Integration.integrate(p -> Math.pow(p[0], 4) * Math.pow(p[1], 6) * (1 + p[2]), g,
                GaussLegendreQuadrature.INSTANCE);
        assertEquals(2.0 / 5 * 2.0 / 7 * 2, got, 1e-14);
    }

    @Test
    void mixedRulesPerAxisAndSampledValuesAgree() {
        ProductGrid g = ProductGrid.of(Grid1D.uniform(65), Grid1D.legendre(6));
        Quadrature[] rules = {SimpsonQuadrature.INSTANCE, GaussLegendreQuadrature.INSTANCE};
        double byFunction = Integration.integrate(p -> Math.exp(p[0]) * p[1] * p[1], g, rules);
        double exact = (Math.E - 1 / Math.E) * (2.0 / 3);
        assertEquals(exact, byFunction, 1e-8);
        INDArray values = Nd4j.create(DataType.DOUBLE, 65, 6);
        for (int i = 0; i < 65; i++) {
            for (int j = 0; j < 6; j++) {
                double x = g.axis(0).point(i);
                double y = g.axis(1).point(j);
                values.putScalar(i, j, Math.exp(x) * y * y);
            }
        }
        assertEquals(byFunction, Integration.integrate(values, g, rules), 1e-13);
    }

    @Test
    void rejectsMismatchedInputs() {
        ProductGrid g = ProductGrid.of(Grid1D.uniform(3), Grid1D.uniform(5));
        assertThrows(IllegalArgumentException.class,
                () -> Integration.integrate(Nd4j.ones(5, 3), g, TrapezoidalQuadrature.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> Integration.integrate(p -> 1.0, g,
                TrapezoidalQuadrature.INSTANCE, TrapezoidalQuadrature.INSTANCE, TrapezoidalQuadrature.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> Integration.multiplyWeights(Nd4j.ones(3, 4), 1,
                Grid1D.uniform(3), TrapezoidalQuadrature.INSTANCE));
    }
}
