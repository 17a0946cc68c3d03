package org.integral4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for the steps after the conversion (budget search, calibration), one step each,
 * the running step named after the bar; drawn on the error stream only where
 * {@link ConversionProgress#shown} says so (a terminal, no {@code --verbose}). A null-safe holder:
 * off a terminal every method does nothing.
 */
final class StepProgress implements AutoCloseable {

    private final ProgressBar bar;

    private StepProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A bar on the terminal, or a silent one.
     *
     * @param steps   the number of steps
     * @param verbose whether {@code --verbose} was given
     * @return the progress
     */
    static StepProgress onTerminal(int steps, boolean verbose) {
        if (steps <= 0 || !ConversionProgress.shown(System.console() != null, verbose)) {
            return new StepProgress(null);
        }
        return new StepProgress(new ProgressBarBuilder().setTaskName("Calibrating").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).hideEta().clearDisplayOnFinish()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
    }

    /**
     * Names the step that starts now.
     *
     * @param what e.g. "calibrating on 512 images"
     */
    void starting(String what) {
        if (bar != null) {
            bar.setExtraMessage(what);
        }
    }

    /** The current step is done. */
    void stepDone() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
