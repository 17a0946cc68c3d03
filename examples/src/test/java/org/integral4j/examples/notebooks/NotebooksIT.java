package org.integral4j.examples.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Executes every notebook in {@code examples/notebooks} top to bottom on the real Jupyter kernel
 * {@value #KERNEL} (Debian's {@code jupyter nbconvert --execute}), after {@code package} has built
 * {@code target/notebook-lib}; a notebook fails the test when any cell fails. The fixtures in
 * {@code src/test/resources/notebooks} show that a deliberately broken cell (an exception, a
 * compile error) does fail the run.
 *
 * <p>Needs {@code jupyter} on the path and the kernelspec installed by
 * {@code examples/notebooks/install-kernel.sh} ({@code .ci/run} does both). Without them the tests
 * are skipped on a developer machine and fail under CI (environment variable {@code CI} set).
 */
class NotebooksIT {

    static final String KERNEL = "integral4j-java";
    private static final Path NOTEBOOKS = Path.of("notebooks");
    private static final long TIMEOUT_MINUTES = 20;

    @BeforeAll
    static void needsJupyterAndKernel() throws Exception {
        Run list;
        try {
            list = run(Path.of("."), List.of("jupyter", "kernelspec", "list", "--json"));
        } catch (IOException e) {
            missing("'jupyter' is not on the path (" + e.getMessage() + "); apt-get install -y jupyter-nbconvert "
                    + "python3-nbclient jupyter-client");
            return;
        }
        if (list.exitCode() != 0 || !list.output().contains("\"" + KERNEL + "\"")) {
            missing("the Jupyter kernel " + KERNEL + " is not installed; run examples/notebooks/install-kernel.sh");
            return;
        }
        checkKernelJarExists(list.output());
    }

    /**
     * The kernelspec names the kernel's jar by absolute path; a kernel installed from another
     * checkout that has since been deleted fails only inside nbconvert, with a class-not-found
     * message, so it is checked here.
     */
    private static void checkKernelJarExists(String kernelspecListJson) throws IOException {
        // Jupyter may print warnings before the JSON (stderr is merged into the output).
        String json = kernelspecListJson.substring(Math.max(0, kernelspecListJson.indexOf('{')));
        JsonNode spec = new ObjectMapper().readTree(json).path("kernelspecs").path(KERNEL).path("spec");
        JsonNode argv = spec.path("argv");
        for (int i = 0; i + 1 < argv.size(); i++) {
            if ("-cp".equals(argv.get(i).asText())) {
                Path jar = Path.of(argv.get(i + 1).asText().split(":")[0]);
                assertTrue(Files.isRegularFile(jar), "the installed Jupyter kernel " + KERNEL + " runs " + jar
                        + ", which does not exist (installed from another checkout?); run "
                        + "examples/notebooks/install-kernel.sh again");
                return;
            }
        }
    }

    private static void missing(String why) {
        if (System.getenv("CI") != null) {
            fail(why + " (CI is set, so this is an error rather than a skip)");
        }
        Assumptions.abort(why);
    }

    static Stream<Path> notebooks() throws IOException {
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            List<Path> list = new ArrayList<>(s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList());
            assertTrue(list.size() >= 3, "expected the three notebooks in " + NOTEBOOKS.toAbsolutePath() + ", found " + list);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void everyCellRuns(Path notebook, @TempDir Path out) throws Exception {
        Run r = execute(notebook, out);
        assertEquals(0, r.exitCode(), () -> notebook + " failed on kernel " + KERNEL + ":\n" + r.output());
        JsonNode executed = new ObjectMapper().readTree(out.resolve(notebook.getFileName()).toFile());
        int code = 0;
        for (JsonNode cell : executed.get("cells")) {
            if (!"code".equals(cell.get("cell_type").asText())) {
                continue;
            }
            code++;
            assertTrue(cell.get("execution_count").isInt(), () -> "a code cell was not executed: " + cell);
            for (JsonNode o : cell.get("outputs")) {
                assertNotEquals("error", o.get("output_type").asText(), () -> "error output in " + notebook + ": " + o);
            }
        }
        assertTrue(code > 0, notebook + " has no code cell");
    }

    @Test
    void aWorkingFixtureRuns(@TempDir Path dir) throws Exception {
        Path nb = fixture("working.ipynb", dir);
        Run r = execute(nb, dir.resolve("out"));
        assertEquals(0, r.exitCode(), r.output());
        String executed = Files.readString(dir.resolve("out").resolve("working.ipynb"));
        assertTrue(executed.contains("\"43\""), "the last expression's value is the cell's result: " + executed);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"broken-throws.ipynb", "broken-compile.ipynb"})
    void aBrokenCellFailsTheRun(String name, @TempDir Path dir) throws Exception {
        Path nb = fixture(name, dir);
        Run r = execute(nb, dir.resolve("out"));
        assertNotEquals(0, r.exitCode(), "a broken cell must fail the run:\n" + r.output());
        assertTrue(r.output().contains("CellExecutionError") || r.output().contains("CellException"), r.output());
        assertTrue(!r.output().contains("never reached"), "cells after the broken one must not run:\n" + r.output());
        String expected = name.contains("throws") ? "deliberately broken cell" : "incompatible types";
        assertTrue(r.output().contains(expected), "the error names the cause (" + expected + "):\n" + r.output());
    }

    private static Path fixture(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = NotebooksIT.class.getResourceAsStream("/notebooks/" + name)) {
            assertTrue(in != null, "fixture /notebooks/" + name + " missing");
            Files.copy(in, target);
        }
        return target;
    }

    private static Run execute(Path notebook, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        return run(notebook.toAbsolutePath().getParent(), List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=" + KERNEL, "--ExecutePreprocessor.timeout=900",
                "--output-dir", outDir.toAbsolutePath().toString(), notebook.toAbsolutePath().toString()));
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path workDir, List<String> command) throws Exception {
        Path log = Files.createTempFile("notebook-run", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(command + " did not finish in " + TIMEOUT_MINUTES + " minutes:\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
