package org.integral4j.examples.report;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.permutation.TspResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long phases. On a terminal ({@link System#console()} present) a progress bar from
 * the {@code me.tongfei:progressbar} library is drawn on standard error; when the output is
 * redirected (a log file, CI, Maven without a terminal) progress goes to SLF4J as plain lines, a
 * few per phase. {@code -Dintegral4j.progress=plain} forces the plain lines.
 */
public final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    /** System property: {@code plain} forces log lines even on a terminal. */
    public static final String MODE_PROPERTY = "integral4j.progress";
    /** Plain mode logs a line each time this fraction of a phase is done. */
    private static final double PLAIN_STEP = 0.25;

    private Progress() {
    }

    /** @return whether bars are drawn (a terminal and no {@value #MODE_PROPERTY}=plain) */
    public static boolean interactive() {
        return System.console() != null && !"plain".equalsIgnoreCase(System.getProperty(MODE_PROPERTY));
    }

    /**
     * A training listener that shows one bar per epoch over its iterations (mini-batches).
     *
     * @param task            what is trained, e.g. "discrete CNN"
     * @param batchesPerEpoch mini-batches in one epoch
     * @param epochs          number of epochs the next {@code fit} call runs
     * @return the listener; add it to the network before {@code fit} and remove it afterwards
     */
    public static EpochBar epochs(String task, int batchesPerEpoch, int epochs) {
        return new EpochBar(task, batchesPerEpoch, epochs);
    }

    /**
     * A conversion listener that shows the conversion's phases (and the permutation's groups).
     *
     * @param task what is converted
     * @return the listener for {@code IntegralWrapper.builder().listener(...)}; {@link ConversionBar#close()} it after
     */
    public static ConversionBar conversion(String task) {
        return new ConversionBar(task);
    }

    /**
     * A bar over a fixed number of steps (e.g. evaluations), for plain loops.
     *
     * @param task  what is done
     * @param total number of steps
     * @return the bar; call {@link Steps#step(String)} per step and {@link Steps#close()} at the end
     */
    public static Steps steps(String task, int total) {
        return new Steps(task, total);
    }

    private static ProgressBar bar(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).showSpeed().setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setMaxRenderedLength(110).build();
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    /** One bar per training epoch; see {@link #epochs}. */
    public static final class EpochBar extends BaseTrainingListener {
        private final String task;
        private final int batches;
        private final int epochs;
        private final boolean interactive = interactive();
        private ProgressBar bar;
        private int epoch;
        private int done;
        private long start;
        private double nextReport;

        private EpochBar(String task, int batches, int epochs) {
            this.task = task;
            this.batches = batches;
            this.epochs = epochs;
        }

        @Override
        public void onEpochStart(Model model) {
            epoch++;
            done = 0;
            start = System.nanoTime();
            nextReport = PLAIN_STEP;
            String name = String.format(Locale.ROOT, "%s, epoch %d/%d", task, epoch, epochs);
            if (interactive) {
                bar = bar(name, batches);
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epochCount) {
            done++;
            double score = model.score();
            if (bar != null) {
                bar.step();
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", score));
            } else if (!interactive && done >= nextReport * batches && done < batches) {
                LOG.info("{}, epoch {}/{}: {}/{} batches, loss {}, {}", task, epoch, epochs, done, batches,
                        String.format(Locale.ROOT, "%.4f", score), seconds(start));
                nextReport += PLAIN_STEP;
            }
        }

        @Override
        public void onEpochEnd(Model model) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            LOG.info("{}, epoch {}/{} done: {} batches, loss {}, {}", task, epoch, epochs, done,
                    String.format(Locale.ROOT, "%.4f", model.score()), seconds(start));
        }
    }

    /** The phases of one conversion; see {@link #conversion}. */
    public static final class ConversionBar implements ConversionListener, AutoCloseable {
        /** The phases IntegralWrapper reports (analysis, permutation, fusion, build, knot tensors). */
        private static final int PHASES = 5;
        private final String task;
        private final ProgressBar bar;
        private final long start = System.nanoTime();
        private boolean groupsCounted;

        private ConversionBar(String task) {
            this.task = task;
            this.bar = interactive() ? bar(task, PHASES) : null;
        }

        @Override
        public void phaseDone(String phase, double millis) {
            if (bar != null) {
                bar.maxHint(Math.max(bar.getMax(), bar.getCurrent() + 1));
                bar.step();
                bar.setExtraMessage(" " + phase);
            } else {
                LOG.info("{}: phase '{}' done ({} ms)", task, phase, String.format(Locale.ROOT, "%.0f", millis));
            }
        }

        @Override
        public void groupPermuted(String group, int index, int total, TspResult result) {
            if (bar != null) {
                if (!groupsCounted) {
                    bar.maxHint(bar.getMax() + total);
                    groupsCounted = true;
                }
                bar.step();
                bar.setExtraMessage(" permuted " + group);
            } else {
                LOG.info("{}: permuted group {} ({}/{})", task, group, index, total);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.stepTo(bar.getMax());
                bar.close();
            }
            LOG.info("{}: done in {}", task, seconds(start));
        }
    }

    /** A bar over plain steps; see {@link #steps}. */
    public static final class Steps implements AutoCloseable {
        private final String task;
        private final int total;
        private final ProgressBar bar;
        private final long start = System.nanoTime();
        private int done;

        private Steps(String task, int total) {
            this.task = task;
            this.total = total;
            this.bar = interactive() ? bar(task, total) : null;
        }

        /**
         * One step done.
         *
         * @param what a short description of the step
         */
        public void step(String what) {
            done++;
            if (bar != null) {
                bar.step();
                bar.setExtraMessage(" " + what);
            } else {
                LOG.info("{}: {}/{} {} ({})", task, done, total, what, seconds(start));
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }

        /** @return time since the bar was created */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }
}
