package org.integral4j.cli;

import java.util.List;

/**
 * The log level of the executable jar's SLF4J binding ({@code slf4j-simple}): warnings and errors
 * only by default, so the command's result or error is the first thing printed; with
 * {@code --verbose}, ND4J's start-up information and the conversion phases as well. Must run
 * before anything creates a logger; a level the user sets with
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...} wins.
 */
final class Logging {

    /** slf4j-simple's property for the default level. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    /**
     * Sets the default level unless the user did.
     *
     * @param verbose whether {@code --verbose} was given
     */
    static void configure(boolean verbose) {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, verbose ? "info" : "warn");
        }
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
    }

    /**
     * Whether the arguments ask for verbose output, read before parsing (parsing must not be what
     * first creates a logger): {@code --verbose} before a {@code --} that ends the options.
     *
     * @param args the command-line arguments
     * @return true when {@code --verbose} is among the options
     */
    static boolean verbose(String[] args) {
        for (String a : List.of(args)) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
