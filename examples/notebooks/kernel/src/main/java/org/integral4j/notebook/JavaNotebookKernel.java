package org.integral4j.notebook;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

/**
 * A Jupyter kernel for Java: each cell is split into complete snippets and evaluated by JShell in
 * this JVM (see {@link CellExecutionControl}); the value of the last expression is the cell's
 * result, unless it ends with a semicolon (as in IPython: {@code System.out.printf(...);} shows no
 * {@code PrintStream}). A cell fails (an {@code error} reply, which stops {@code nbconvert --execute}) when a
 * snippet does not compile, refers to something undefined, or throws.
 *
 * <p>Line magics, one per line, anywhere in a cell and run before its code:
 * {@code %jars PATH...} and {@code %classpath PATH...} add jars or class folders to the cells'
 * class path; a path relative to the kernel's working directory (the notebook's folder under
 * Jupyter) and may end in a glob such as {@code ../target/notebook-lib/*.jar}. A glob that matches
 * nothing is an error. Cell magics ({@code %%}) are not supported and are reported as errors.
 */
public final class JavaNotebookKernel extends BaseKernel {

    /** Imports every cell sees (besides {@code java.lang}). */
    static final List<String> STARTUP = List.of(
            "import java.util.*;",
            "import java.util.stream.*;",
            "import java.io.*;",
            "import java.nio.file.*;",
            "import static org.integral4j.notebook.Notebook.*;");

    private final JShell shell;
    private final CellExecutionControl control;
    private boolean started;

    private JavaNotebookKernel(JupyterIO io, Renderer renderer, JShell shell, CellExecutionControl control) {
        super("Integral4J Java", "0.1.0",
                new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java")
                        .fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(), new HistoryManager() {
                    // no history kept: the defaults answer every lookup with an empty list
                }, io, new CommManager(), renderer,
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), false,
                new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_BLACK_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG).addHighlightStyle(TextColor.BOLD_RED_FG).build());
        this.shell = shell;
        this.control = control;
    }

    /**
     * @return a kernel whose cells see the kernel's own class path ({@link Notebook}) plus what
     *         {@code %jars} adds
     */
    static JavaNotebookKernel create() {
        CellClassLoader loader = new CellClassLoader(JavaNotebookKernel.class.getClassLoader());
        CellExecutionControl control = new CellExecutionControl(loader);
        JShell shell = JShell.builder().executionEngine(new ExecutionControlProvider() {
            @Override
            public String name() {
                return "integral4j-notebook";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        }, Map.of()).build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        Renderer renderer = new Renderer();
        Image.registerAll(renderer);
        return new JavaNotebookKernel(new JupyterIO(java.nio.charset.StandardCharsets.UTF_8), renderer, shell, control);
    }

    @Override
    public String getBanner() {
        return "Integral4J Java kernel (JShell " + Runtime.version() + ", Jupyter protocol by jjava-jupyter)";
    }

    @Override
    public Object evalRaw(String cell) {
        if (!started) {
            started = true;
            for (String s : STARTUP) {
                evalSnippets(s);
            }
        }
        StringBuilder code = new StringBuilder();
        for (String line : cell.split("\\R", -1)) {
            String t = line.strip();
            if (t.startsWith("%%")) {
                throw new CellException("cell magics are not supported by this kernel: " + t, List.of());
            } else if (t.startsWith("%")) {
                lineMagic(t.substring(1));
                code.append('\n');
            } else {
                code.append(line).append('\n');
            }
        }
        try {
            return evalSnippets(code.toString());
        } finally {
            control.clearResults();
        }
    }

    private Object evalSnippets(String code) {
        Object last = null;
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            last = evalOne(info.source());
            if (info.source().strip().endsWith(";")) {
                // the user ended the snippet with ';': its value is not shown (as in IPython)
                last = null;
            }
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new CellException("incomplete input (a missing ';', ')' or '}'?)", List.of(info.remaining().strip()));
        }
        return last;
    }

    private Object evalOne(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object result = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = e.snippet();
            JShellException thrown = e.exception();
            if (thrown != null) {
                throw new CellException(describe(thrown), List.of(source.strip()), thrown);
            }
            if (e.status() == Snippet.Status.REJECTED || !e.status().isDefined()) {
                List<String> diagnostics = diagnostics(snippet);
                throw new CellException("does not compile: " + String.join("; ", diagnostics.subList(1, diagnostics.size())),
                        diagnostics.subList(0, 1));
            }
            if (e.value() != null && snippet.subKind().isExecutable()) {
                Object value = control.takeResult(e.value());
                result = switch (snippet.subKind()) {
                    case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> value;
                    default -> null;
                };
            } else {
                result = null;
            }
        }
        return result;
    }

    private List<String> diagnostics(Snippet snippet) {
        List<String> lines = new ArrayList<>();
        lines.add(snippet.source().strip());
        for (Diag d : shell.diagnostics(snippet).collect(Collectors.toList())) {
            lines.add((d.isError() ? "error: " : "warning: ") + d.getMessage(Locale.ROOT));
        }
        if (snippet instanceof jdk.jshell.DeclarationSnippet decl) {
            List<String> unresolved = shell.unresolvedDependencies(decl).collect(Collectors.toList());
            if (!unresolved.isEmpty()) {
                lines.add("unresolved: " + String.join(", ", unresolved));
            }
        }
        return lines;
    }

    private static String describe(JShellException e) {
        if (e instanceof EvalException ee) {
            return ee.getExceptionClassName() + (ee.getMessage() == null ? "" : ": " + ee.getMessage());
        }
        if (e instanceof UnresolvedReferenceException ure) {
            return "refers to something not defined: " + ure.getSnippet().source().strip();
        }
        return e.toString();
    }

    private void lineMagic(String magic) {
        String[] parts = magic.strip().split("\\s+");
        String name = parts[0];
        if (!name.equals("jars") && !name.equals("classpath")) {
            throw new CellException("unknown line magic %" + name + "; this kernel knows %jars and %classpath "
                    + "(add jars or class folders, globs allowed)", List.of("%" + magic));
        }
        List<String> entries = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            entries.addAll(resolve(parts[i]));
        }
        for (String e : entries) {
            shell.addToClasspath(e);
        }
    }

    /** A path, or every match of a glob in its last element, relative to the working directory. */
    static List<String> resolve(String pattern) {
        Path path = Path.of(pattern);
        String last = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
            if (!Files.exists(path)) {
                throw new CellException("class-path entry " + path.toAbsolutePath().normalize() + " does not exist",
                        List.of(pattern));
            }
            return List.of(path.toAbsolutePath().normalize().toString());
        }
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, last)) {
                for (Path p : stream) {
                    found.add(p.toAbsolutePath().normalize().toString());
                }
            } catch (IOException e) {
                throw new CellException("cannot list " + dir.toAbsolutePath() + ": " + e.getMessage(), List.of(pattern));
            }
        }
        if (found.isEmpty()) {
            throw new CellException("nothing matches " + path.toAbsolutePath().normalize()
                    + " (build the project first: mvn -B -DskipTests package)", List.of(pattern));
        }
        found.sort(String::compareTo);
        return found;
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException ce) {
            List<String> lines = new ArrayList<>();
            lines.add(errorStyler.secondary(ce.headline()));
            for (String l : ce.context()) {
                lines.addAll(errorStyler.primaryLines(l));
            }
            if (ce.getCause() instanceof EvalException ee) {
                for (StackTraceElement s : ee.getStackTrace()) {
                    lines.add(errorStyler.secondary("    at " + s));
                }
                for (Throwable c = ee.getCause(); c != null; c = c.getCause()) {
                    String name = c instanceof EvalException inner ? inner.getExceptionClassName() : c.getClass().getName();
                    lines.add(errorStyler.secondary("Caused by: " + name + ": " + c.getMessage()));
                }
            }
            return lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, true);
        if (docs == null || docs.isEmpty()) {
            return null;
        }
        return new DisplayData(docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (suggestions == null || suggestions.isEmpty()) {
            return null;
        }
        return new ReplacementOptions(suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct()
                .collect(Collectors.toList()), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> IS_COMPLETE_YES;
            case UNKNOWN -> IS_COMPLETE_BAD;
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> "  ";
        };
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        shell.close();
    }

    @Override
    protected ClassLoader getClassLoader() {
        return control.classLoader();
    }

    /** A cell that cannot run: the message, the code involved, and the user's exception if any. */
    static final class CellException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> context;
        private final String headline;

        CellException(String message, List<String> context) {
            this(message, context, null);
        }

        CellException(String message, List<String> context, Throwable cause) {
            // The message carries the details (Jupyter clients show it as the error's value); the
            // kernel's own stack is of no use to the reader and is not recorded.
            super(message + (context.isEmpty() ? "" : "\n" + String.join("\n", context)), cause, false, false);
            this.headline = message;
            this.context = List.copyOf(context);
        }

        String headline() {
            return headline;
        }

        List<String> context() {
            return context;
        }
    }
}
