package org.integral4j.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The PyTorch side of {@link SideBySideBenchmark}: a Python process running the script shipped in
 * this jar ({@code torch_side_by_side.py}), driven over stdin/stdout with one JSON object per line so
 * that its rounds interleave with the Java rounds. {@link #start} returns null (with the reason in
 * {@link #whyNot}) when no Python with PyTorch is found.
 */
final class TorchSide implements AutoCloseable {

    /** The shipped script, a resource next to this class. */
    static final String SCRIPT = "torch_side_by_side.py";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final JsonNode hello;

    private TorchSide(Process process, int threads) throws IOException {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.hello = call(Map.of("cmd", "hello", "threads", threads));
    }

    /**
     * Starts the Python side, or explains why it cannot.
     *
     * @param python  the Python executable to use, or null to search ({@code /usr/bin/python3}, then
     *                {@code python3} on the PATH: the first that imports torch)
     * @param threads PyTorch's intra-op threads
     * @param whyNot  receives the reason when null is returned (modified)
     * @return the running side, or null
     */
    static TorchSide start(String python, int threads, StringBuilder whyNot) {
        List<String> candidates = python != null && !python.isBlank() ? List.of(python)
                : List.of("/usr/bin/python3", "python3");
        String chosen = null;
        for (String c : candidates) {
            if (importsTorch(c)) {
                chosen = c;
                break;
            }
        }
        if (chosen == null) {
            whyNot.append("PyTorch is not importable by ").append(String.join(" or ", candidates))
                    .append(" (Debian: apt-get install -y python3-torch; or pass -Dbench.python=/path/to/python)");
            return null;
        }
        try {
            Path script = Files.createTempFile("integral4j-torch-", ".py");
            script.toFile().deleteOnExit();
            try (InputStream s = TorchSide.class.getResourceAsStream(SCRIPT)) {
                if (s == null) {
                    throw new IOException("resource " + SCRIPT + " is missing from the benchmarks jar");
                }
                Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder pb = new ProcessBuilder(chosen, "-u", script.toString());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            TorchSide side = new TorchSide(pb.start(), threads);
            if (!side.hello.path("ok").asBoolean()) {
                whyNot.append(side.hello.path("error").asText("the PyTorch side failed to start"));
                side.close();
                return null;
            }
            return side;
        } catch (IOException e) {
            whyNot.append("could not start ").append(chosen).append(": ").append(e.getMessage());
            return null;
        }
    }

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What the side reported at start: versions, threads, whether TorchIntegral is importable.
     *
     * @return the hello reply
     */
    JsonNode hello() {
        return hello;
    }

    /**
     * Builds the networks of one benchmark case.
     *
     * @param request the setup request (network, batch, image, channels, classes, widths, seed)
     * @return the reply: the case names and parameter counts
     * @throws IOException when the side fails
     */
    JsonNode setup(Map<String, Object> request) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>(request);
        r.put("cmd", "setup");
        return check(call(r));
    }

    /**
     * Runs one case once.
     *
     * @param name the case
     * @return {wall ms, process CPU ms}
     * @throws IOException when the side fails
     */
    double[] run(String name) throws IOException {
        JsonNode r = check(call(Map.of("cmd", "run", "case", name, "n", 1)));
        return new double[] {r.get("ms").get(0).asDouble(), r.get("cpu_ms").get(0).asDouble()};
    }

    private JsonNode check(JsonNode reply) throws IOException {
        if (!reply.path("ok").asBoolean()) {
            throw new IOException("PyTorch side: " + reply.path("error").asText("no error message"));
        }
        return reply;
    }

    private JsonNode call(Map<String, Object> request) throws IOException {
        in.write(JSON.writeValueAsString(request));
        in.newLine();
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the PyTorch side exited (see its messages above)");
        }
        return JSON.readTree(line);
    }

    /**
     * Case names of a setup reply.
     *
     * @param setupReply the reply of {@link #setup}
     * @return the names
     */
    static List<String> cases(JsonNode setupReply) {
        List<String> names = new ArrayList<>();
        setupReply.get("cases").forEach(n -> names.add(n.asText()));
        return names;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                call(Map.of("cmd", "quit"));
            } catch (IOException e) {
                System.out.println("PyTorch side did not answer quit (" + e.getMessage() + "); stopping it");
                process.destroy();
            }
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
