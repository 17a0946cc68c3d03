package org.integral4j.cli;

/**
 * Why a command stopped: a usage error (exit status {@value IntegralCli#EXIT_USAGE}: the command
 * line is wrong, e.g. an unknown group, a size out of range, an output that is the input) or a
 * failure (exit status {@value IntegralCli#EXIT_FAILURE}: reading, converting or writing went
 * wrong). {@link IntegralCli} prints the message and the hint, not a stack trace (unless
 * {@code --stacktrace} is given).
 */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String hint;

    private CliException(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    /**
     * A usage error.
     *
     * @param format message format ({@link String#format}): what is wrong and the valid values
     * @param args   message arguments
     * @return the exception
     */
    static CliException usage(String format, Object... args) {
        return new CliException(IntegralCli.EXIT_USAGE, String.format(format, args), null, null);
    }

    /**
     * A runtime failure.
     *
     * @param message what failed, naming the file or model
     * @param hint    how to fix it; may be null
     * @param cause   the underlying exception; may be null
     * @return the exception
     */
    static CliException failure(String message, String hint, Throwable cause) {
        return new CliException(IntegralCli.EXIT_FAILURE, message, hint, cause);
    }

    /** @return {@link IntegralCli#EXIT_USAGE} or {@link IntegralCli#EXIT_FAILURE} */
    int exitCode() {
        return exitCode;
    }

    /** @return how to fix the problem, or null */
    String hint() {
        return hint;
    }

    /**
     * The message of an underlying exception for the user: its own message, or its class name
     * when it has none.
     *
     * @param e the exception
     * @return a one-line description
     */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
