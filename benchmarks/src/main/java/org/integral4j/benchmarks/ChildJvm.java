package org.integral4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Child JVMs for benchmarks that compare settings read only at process start (environment
 * variables such as {@code OMP_WAIT_POLICY}, heap options): the same java executable and class path
 * as this JVM, a main class with arguments, an environment edited from this one's.
 */
final class ChildJvm {

    /** Prefix of the lines a child prints for its parent; everything else is kept as the child's log. */
    static final String RESULT = "RESULT ";

    private ChildJvm() {
    }

    /**
     * Starts a child.
     *
     * @param main          the main class
     * @param jvmOptions    edits this JVM's options (e.g. drops heap options and adds others)
     * @param args          the child's arguments
     * @param env           variables to set; a null value removes the variable
     * @param discardOutput whether to drop the child's output (else it is read by {@link #results})
     * @return the process
     * @throws IOException when it cannot be started
     */
    static Process start(Class<?> main, UnaryOperator<List<String>> jvmOptions, List<String> args,
                         Map<String, String> env, boolean discardOutput) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions.apply(new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments())));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        if (discardOutput) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return pb.start();
    }

    /**
     * Waits for a child and returns its {@value #RESULT} lines (without the prefix).
     *
     * @param p the child, started with its output kept
     * @return the result lines, in order
     * @throws IOException          when its output cannot be read
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when it fails or prints no result; the message holds its log
     */
    static List<String> results(Process p) throws IOException, InterruptedException {
        List<String> results = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(RESULT)) {
                    results.add(line.substring(RESULT.length()));
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || results.isEmpty()) {
            throw new IllegalStateException("child failed (exit " + code + "):\n" + log);
        }
        return results;
    }
}
