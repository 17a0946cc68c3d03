package org.integral4j.layers.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of the tests that gradient-check in double precision: DL4J's {@code GradientCheckUtil}
 * requires ND4J's default data type to be DOUBLE; the previous default is restored afterwards.
 */
abstract class DoublePrecisionTest {

    private static DataType previous;

    @BeforeAll
    static void useDouble() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }
}
