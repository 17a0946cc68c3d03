package org.integral4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.integral4j.convert.ConversionListener;
import org.integral4j.convert.permutation.TspResult;

/**
 * A progress bar for a conversion, driven by {@link ConversionListener}: one step per conversion
 * phase ({@value #PHASES} phases: analysis, permutation, batch-norm fusion, building the integral
 * network, knot tensors) and one per permuted channel group, the current phase or group shown
 * after the bar. Drawn by {@code me.tongfei:progressbar} on the error stream, so results on the
 * output stream stay clean.
 *
 * <p>{@link #shown} decides whether a bar is drawn at all: only on a terminal
 * ({@code System.console() != null}: neither output nor error redirected) and not with
 * {@code --verbose} (whose log lines would tear the bar).
 */
final class ConversionProgress implements ConversionListener, AutoCloseable {

    /** The phases {@code IntegralWrapper} reports. */
    static final int PHASES = 5;

    private final ProgressBar bar;
    private boolean groupsCounted;

    /**
     * A bar drawn by the given consumer.
     *
     * @param task     the label in front of the bar, e.g. "Converting"
     * @param consumer where the rendered bar goes
     */
    ConversionProgress(String task, ProgressBarConsumer consumer) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(PHASES).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).hideEta().clearDisplayOnFinish().setConsumer(consumer)
                .build();
    }

    /**
     * Whether the command line draws a progress bar.
     *
     * @param terminal whether the process talks to a terminal ({@code System.console() != null})
     * @param verbose  whether {@code --verbose} was given
     * @return true on a terminal without {@code --verbose}
     */
    static boolean shown(boolean terminal, boolean verbose) {
        return terminal && !verbose;
    }

    /**
     * A bar on the error stream, or null when {@link #shown} says no.
     *
     * @param verbose whether {@code --verbose} was given
     * @return the progress, or null
     */
    static ConversionProgress onTerminal(boolean verbose) {
        return shown(System.console() != null, verbose)
                ? new ConversionProgress("Converting", new ConsoleProgressBarConsumer(System.err)) : null;
    }

    @Override
    public void phaseDone(String phase, double millis) {
        if (bar.getCurrent() >= bar.getMax()) {
            bar.maxHint(bar.getCurrent() + 1);
        }
        bar.step();
        bar.setExtraMessage(phase);
    }

    @Override
    public void groupPermuted(String group, int index, int total, TspResult result) {
        if (!groupsCounted) {
            bar.maxHint(bar.getMax() + total);
            groupsCounted = true;
        }
        bar.step();
        bar.setExtraMessage("ordering channels of " + group + " (" + index + "/" + total + ")");
    }

    /** @return steps done so far */
    long current() {
        return bar.getCurrent();
    }

    /** @return the steps expected */
    long max() {
        return bar.getMax();
    }

    /** Fills the bar (the conversion finished) and releases the terminal line. */
    void done() {
        bar.stepTo(bar.getMax());
        bar.setExtraMessage("done");
    }

    @Override
    public void close() {
        bar.close();
    }
}
