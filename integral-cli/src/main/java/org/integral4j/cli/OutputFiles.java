package org.integral4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files one command writes, all or nothing.
 *
 * <ol>
 *   <li>{@link #plan}, before any work: an output that is the input (same canonical path or
 *       {@link Files#isSameFile}, so relative paths, {@code ..}, symbolic and hard links count),
 *       two outputs that are one file, an output that is a directory, or an existing output
 *       without {@code --force} is a usage error. Then every output's directory must exist and
 *       take a new file: a temporary file is created next to each output now (a hidden
 *       {@code .NAME.*.tmp}), which proves that the directory is writable rather than guessing
 *       from permission bits.</li>
 *   <li>The command writes each output into its temporary file ({@link #staging}).</li>
 *   <li>{@link #commit} moves the temporary files into place by atomic renames in the same
 *       directory, only after every output was written. If a rename fails, the outputs already
 *       moved are undone (a replaced file is restored from a hard link or copy taken just before)
 *       and the command fails.</li>
 *   <li>{@link #close} deletes whatever temporary file is left, also when the command failed; a
 *       shutdown hook does the same when the JVM is stopped (e.g. Ctrl-C) before the commit.</li>
 * </ol>
 * After any failure no new or changed file is left behind. The input is only ever read.
 */
final class OutputFiles implements AutoCloseable {

    /** Permissions of a new output file (temporary files start as owner-only). */
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    /** One planned output. */
    private static final class Output {
        final String option;
        final Path target;
        Path staged;
        Path backup;
        boolean moved;

        Output(String option, Path target) {
            this.option = option;
            this.target = target;
        }
    }

    private final List<Output> outputs;
    private final Thread cleanup;
    private boolean committed;

    private OutputFiles(List<Output> outputs) {
        this.outputs = outputs;
        this.cleanup = new Thread(this::deleteLeftovers, "integral4j-cli-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Checks the outputs against the input and each other and creates their temporary files.
     *
     * @param input   the input model file (only read)
     * @param outputs option name (e.g. {@code --out}) to path, in the order to write
     * @param force   whether existing outputs may be replaced
     * @return the plan (close it)
     * @throws CliException a usage error (output is the input or another output, is a directory,
     *                      exists without {@code --force}) or a failure (directory missing or not
     *                      writable)
     */
    static OutputFiles plan(Path input, Map<String, Path> outputs, boolean force) throws CliException {
        List<Output> list = new ArrayList<>();
        outputs.forEach((option, path) -> list.add(new Output(option, path)));
        for (int i = 0; i < list.size(); i++) {
            Output o = list.get(i);
            if (Files.isDirectory(o.target)) {
                throw CliException.usage("%s %s is a directory; give a file name, e.g. %s.", o.option, o.target,
                        o.target.resolve("small.zip"));
            }
            if (sameFile(input, o.target)) {
                throw CliException.usage("%s %s is the input model file %s; the input is never overwritten."
                        + " Choose another file name.", o.option, o.target, input);
            }
            for (int k = 0; k < i; k++) {
                Output other = list.get(k);
                if (sameFile(other.target, o.target)) {
                    throw CliException.usage("%s %s and %s %s are the same file; give two different files.",
                            other.option, other.target, o.option, o.target);
                }
            }
            if (!force && Files.exists(o.target, LinkOption.NOFOLLOW_LINKS)) {
                throw CliException.usage("%s %s exists; give --force to replace it, or choose another file name.",
                        o.option, o.target);
            }
        }
        for (Output o : list) {
            Path dir = o.target.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw CliException.failure("cannot write " + o.option + " " + o.target + ": the directory " + dir
                        + " does not exist.", "Create the directory or choose another path.", null);
            }
        }
        OutputFiles plan = new OutputFiles(list);
        try {
            for (Output o : list) {
                Path dir = o.target.toAbsolutePath().getParent();
                try {
                    o.staged = Files.createTempFile(dir, "." + o.target.getFileName() + ".", ".tmp");
                } catch (IOException | SecurityException e) {
                    throw CliException.failure("cannot write " + o.option + " " + o.target + ": the directory " + dir
                            + " does not take new files (" + reason(e) + ").", "Choose a writable directory.", e);
                }
            }
        } catch (CliException e) {
            plan.close();
            throw e;
        }
        return plan;
    }

    /**
     * Whether two paths name the same file: equal canonical paths (symbolic links and {@code ..}
     * resolved, also for a file that does not exist yet) or, for existing files,
     * {@link Files#isSameFile} (hard links).
     *
     * @param a a path
     * @param b another path
     * @return true when writing {@code b} would change {@code a}
     */
    static boolean sameFile(Path a, Path b) {
        try {
            if (a.toFile().getCanonicalFile().equals(b.toFile().getCanonicalFile())) {
                return true;
            }
        } catch (IOException e) {
            // fall through to the file-system check
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where to write an output until {@link #commit}.
     *
     * @param option the output's option name, as given to {@link #plan}
     * @return its temporary file (exists, empty)
     */
    Path staging(String option) {
        for (Output o : outputs) {
            if (o.option.equals(option)) {
                return o.staged;
            }
        }
        throw new IllegalArgumentException("no output " + option);
    }

    /**
     * Moves every temporary file into place; on failure restores what was there before.
     *
     * @throws CliException a failure when a file cannot be moved into place (nothing changed then)
     */
    void commit() throws CliException {
        try {
            for (Output o : outputs) {
                if (Files.exists(o.target, LinkOption.NOFOLLOW_LINKS)) {
                    o.backup = backup(o.target);
                    copyPermissions(o.target, o.staged);
                } else {
                    setPermissions(o.staged, NEW_FILE);
                }
                move(o.staged, o.target);
                o.moved = true;
            }
        } catch (IOException e) {
            List<String> notRestored = rollback();
            throw CliException.failure("cannot move the written files into place (" + reason(e) + "); "
                    + (notRestored.isEmpty() ? "nothing was changed." : "could not restore " + notRestored + "."),
                    "Check the directory's permissions and free space.", e);
        }
        committed = true;
        for (Output o : outputs) {
            deleteQuietly(o.backup);
        }
    }

    /** Undoes the moves done so far; returns the files that could not be restored. */
    private List<String> rollback() {
        List<String> failed = new ArrayList<>();
        for (int i = outputs.size() - 1; i >= 0; i--) {
            Output o = outputs.get(i);
            if (!o.moved) {
                continue;
            }
            try {
                if (o.backup != null) {
                    move(o.backup, o.target);
                    o.backup = null;
                } else {
                    Files.deleteIfExists(o.target);
                }
            } catch (IOException e) {
                failed.add(o.target + " (" + reason(e) + ")");
            }
        }
        return failed;
    }

    /** A hard link to (or, where links are not possible, a copy of) an existing file, next to it. */
    private static Path backup(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path backup = Files.createTempFile(dir, "." + target.getFileName() + ".", ".bak");
        Files.delete(backup);
        try {
            if (Files.isSymbolicLink(target)) {
                throw new UnsupportedOperationException("keep the link itself");
            }
            Files.createLink(backup, target);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(target, backup, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return backup;
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            setPermissions(to, Files.getPosixFilePermissions(from));
        } catch (IOException | UnsupportedOperationException e) {
            setPermissions(to, NEW_FILE);
        }
    }

    private static void setPermissions(Path file, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(file, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return CliException.describe(e);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a hidden temporary file may remain
        }
    }

    private synchronized void deleteLeftovers() {
        for (Output o : outputs) {
            if (!o.moved) {
                deleteQuietly(o.staged);
            }
            if (!committed && o.backup != null && !o.moved) {
                deleteQuietly(o.backup);
            }
        }
    }

    /**
     * Deletes the temporary files that were not moved into place (all of them unless
     * {@link #commit} succeeded).
     */
    @Override
    public void close() {
        deleteLeftovers();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /**
     * The outputs in the order planned.
     *
     * @return option name to target path
     */
    Map<String, Path> targets() {
        Map<String, Path> m = new LinkedHashMap<>();
        outputs.forEach(o -> m.put(o.option, o.target));
        return m;
    }
}
