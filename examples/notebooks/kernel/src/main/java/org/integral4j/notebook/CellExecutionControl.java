package org.integral4j.notebook;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs cells in the kernel's JVM, in the calling thread, with {@link CellClassLoader} as the
 * context class loader, and keeps each snippet's value as an object (JShell itself only passes
 * values on as strings), so that the kernel can render the last expression of a cell (an image as
 * PNG). Snippets return a key; {@link #takeResult(String)} hands over the object.
 */
final class CellExecutionControl extends DirectExecutionControl {

    private final CellClassLoader loader;
    private final Map<String, Object> results = new HashMap<>();
    private final AtomicLong counter = new AtomicLong();

    CellExecutionControl(CellClassLoader loader) {
        super(loader);
        this.loader = loader;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object value = doitMethod.invoke(null);
            String key = "result-" + counter.incrementAndGet();
            synchronized (results) {
                results.put(key, value);
            }
            return key;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * @param value the snippet value JShell reported (the key in quotes)
     * @return the object the snippet produced, removed from this control; null if none
     */
    Object takeResult(String value) {
        String key = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        synchronized (results) {
            return results.remove(key);
        }
    }

    /** Forgets values nobody took (declarations' initialisers, earlier snippets of a failed cell). */
    void clearResults() {
        synchronized (results) {
            results.clear();
        }
    }

    ClassLoader classLoader() {
        return loader;
    }
}
