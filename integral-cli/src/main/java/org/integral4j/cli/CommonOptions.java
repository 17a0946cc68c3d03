package org.integral4j.cli;

import picocli.CommandLine.Option;

/** Options every command takes (a picocli mixin). */
final class CommonOptions {

    /** The option that shows failures with their stack trace. */
    static final String STACKTRACE = "--stacktrace";

    @Option(names = "--verbose", description = "Log ND4J's start-up and the conversion phases to the error stream"
            + " (no progress bar then).")
    boolean verbose;

    @Option(names = STACKTRACE, description = "Print the stack trace of a failure.")
    boolean stacktrace;
}
