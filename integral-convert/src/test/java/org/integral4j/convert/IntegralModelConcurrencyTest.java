package org.integral4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link IntegralModel}'s thread-safety contract: {@code output()} while another thread resizes
 * sees the old or the new sizes, never a mix, and never fails; so does an export
 * ({@code toDiscrete()}) running at the same time.
 */
class IntegralModelConcurrencyTest {

    private static final int READERS = 4;
    private static final int RESIZES = 200;
    private static final double SMALL = 0.5;

    @Test
    void outputDuringResizeSeesOneOfTheTwoSizes() throws Exception {
        IntegralModel inn = IntegralWrapper.builder().build().wrapModel(Topologies.sequential());
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 10, 10).subi(0.5);
        inn.resize(SMALL);
        INDArray small = inn.output(x);
        inn.resize(1.0);
        INDArray full = inn.output(x);
        assertTrue(full.sub(small).amaxNumber().doubleValue() > 1e-3, "the two sizes give different outputs");

        AtomicBoolean resizing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        int[][] seen = new int[READERS][2];
        int[] exports = new int[1];
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 2);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < READERS; t++) {
                int id = t;
                readers.add(pool.submit(() -> {
                    start.await();
                    int calls = 0;
                    while (resizing.get() || calls < 5) {
                        calls++;
                        try {
                            INDArray y = inn.output(x);
                            if (close(y, full)) {
                                seen[id][1]++;
                            } else if (close(y, small)) {
                                seen[id][0]++;
                            } else {
                                failures.add(new AssertionError("reader " + id + ", call " + calls
                                        + ": output matches neither size; max difference to full "
                                        + y.sub(full).amaxNumber() + ", to small " + y.sub(small).amaxNumber()));
                            }
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            // an export running at the same time also sees one of the two sizes
            readers.add(pool.submit(() -> {
                start.await();
                do {
                    try {
                        org.deeplearning4j.nn.api.Model plain = inn.toDiscrete();
                        INDArray y = ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) plain).output(x);
                        if (!close(y, full, 1e-9) && !close(y, small, 1e-9)) {
                            failures.add(new AssertionError("an export matches neither size"));
                        }
                        exports[0]++;
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                } while (resizing.get());
                return null;
            }));
            Future<?> resizer = pool.submit(() -> {
                start.await();
                try {
                    for (int i = 0; i < RESIZES; i++) {
                        inn.resize(i % 2 == 0 ? SMALL : 1.0);
                        Thread.yield();
                    }
                } finally {
                    resizing.set(false);
                }
                return null;
            });
            start.countDown();
            resizer.get(5, TimeUnit.MINUTES);
            for (Future<?> r : readers) {
                r.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " failed call(s); first: " + failures.get(0));
            failures.forEach(e::addSuppressed);
            throw e;
        }
        int smallCalls = 0;
        int fullCalls = 0;
        for (int[] s : seen) {
            smallCalls += s[0];
            fullCalls += s[1];
        }
        assertTrue(smallCalls + fullCalls >= READERS * 5, "every reader ran: " + (smallCalls + fullCalls) + " calls");
        assertTrue(exports[0] > 0, "exports ran during the resizes");
        assertTrue(smallCalls > 0 && fullCalls > 0, "the readers saw both sizes: " + smallCalls + " small, "
                + fullCalls + " full");
        // RESIZES is even: the last resize restored the full size
        assertEquals(inn.fullSize("conv1.out"), inn.size("conv1.out"));
        assertTrue(close(inn.output(x), full));
    }

    private static boolean close(INDArray a, INDArray b) {
        return close(a, b, 1e-12);
    }

    private static boolean close(INDArray a, INDArray b, double tolerance) {
        return a.equalShapes(b)
                && a.sub(b).amaxNumber().doubleValue() <= tolerance * Math.max(1, b.amaxNumber().doubleValue());
    }
}
