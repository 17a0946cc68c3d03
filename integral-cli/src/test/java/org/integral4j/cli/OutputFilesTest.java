package org.integral4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputFiles}: same-file detection, atomic commit, rollback when a later output fails. */
class OutputFilesTest {

    @TempDir
    Path dir;

    private Map<String, Path> outputs(Path a, Path b) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("--out", a);
        m.put("--integral", b);
        return m;
    }

    @Test
    void sameFileSeesRelativePathsLinksAndFilesNotYetWritten() throws IOException {
        Path input = Files.writeString(dir.resolve("model.zip"), "model");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertTrue(OutputFiles.sameFile(input, sub.resolve("../model.zip")));
        assertTrue(OutputFiles.sameFile(input, Path.of("").toAbsolutePath().relativize(input)));
        Path link = Files.createSymbolicLink(dir.resolve("link.zip"), input);
        assertTrue(OutputFiles.sameFile(input, link));
        Path hard = Files.createLink(dir.resolve("hard.zip"), input);
        assertTrue(OutputFiles.sameFile(input, hard));
        Path dirLink = Files.createSymbolicLink(dir.resolve("dirlink"), sub);
        assertTrue(OutputFiles.sameFile(sub.resolve("new.zip"), dirLink.resolve("new.zip")), "neither exists yet");
        assertFalse(OutputFiles.sameFile(input, dir.resolve("other.zip")));
    }

    @Test
    void outputsAppearOnlyAtCommitAndNothingElseRemains() throws Exception {
        Path input = Files.writeString(dir.resolve("model.zip"), "model");
        Path a = dir.resolve("a.zip");
        Path b = dir.resolve("b.zip");
        try (OutputFiles out = OutputFiles.plan(input, outputs(a, b), false)) {
            Files.writeString(out.staging("--out"), "A");
            Files.writeString(out.staging("--integral"), "B");
            assertFalse(Files.exists(a) || Files.exists(b), "nothing in place before the commit");
            out.commit();
        }
        assertEquals("A", Files.readString(a));
        assertEquals("B", Files.readString(b));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "model, a, b: no temporary file left");
        }
    }

    @Test
    void withoutCommitTheTemporaryFilesAreDeleted() throws Exception {
        Path input = Files.writeString(dir.resolve("model.zip"), "model");
        Path a = Files.writeString(dir.resolve("a.zip"), "old A");
        try (OutputFiles out = OutputFiles.plan(input, Map.of("--out", a), true)) {
            Files.writeString(out.staging("--out"), "new A");
        }
        assertEquals("old A", Files.readString(a));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void aFailedSecondMoveRestoresTheFirstOutput() throws Exception {
        Path input = Files.writeString(dir.resolve("model.zip"), "model");
        Path a = Files.writeString(dir.resolve("a.zip"), "old A");
        Path b = dir.resolve("b.zip");
        try (OutputFiles out = OutputFiles.plan(input, outputs(a, b), true)) {
            Files.writeString(out.staging("--out"), "new A");
            Files.writeString(out.staging("--integral"), "new B");
            // after planning, something takes b's name: a directory that a file cannot replace
            Files.writeString(Files.createDirectories(b).resolve("keep.txt"), "keep");
            CliException e = assertThrows(CliException.class, out::commit);
            assertEquals(IntegralCli.EXIT_FAILURE, e.exitCode());
            assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        }
        assertEquals("old A", Files.readString(a), "the first output was restored");
        assertEquals("keep", Files.readString(b.resolve("keep.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "model, a, b/: no temporary or backup file left");
        }
    }

    @Test
    void usageErrorsComeBeforeAnyFileIsCreated() throws IOException {
        Path input = Files.writeString(dir.resolve("model.zip"), "model");
        Path a = dir.resolve("a.zip");
        CliException same = assertThrows(CliException.class,
                () -> OutputFiles.plan(input, outputs(a, dir.resolve("x/../a.zip")), false));
        assertEquals(IntegralCli.EXIT_USAGE, same.exitCode());
        CliException exists = assertThrows(CliException.class,
                () -> OutputFiles.plan(input, Map.of("--out", input), true));
        assertTrue(exists.getMessage().contains("is the input model file"), exists.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
