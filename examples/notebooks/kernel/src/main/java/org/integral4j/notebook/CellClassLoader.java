package org.integral4j.notebook;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;
import jdk.jshell.execution.LoaderDelegate;

/**
 * The class loader of notebook cells: classes JShell compiles from cells (defined from their
 * bytes) and the jars added by {@code %jars}/{@code %classpath}. Its parent is the kernel's class
 * loader, so cells see {@link Notebook}. It is also the context class loader while a cell runs,
 * which libraries that discover implementations by service loading (ND4J backends) need.
 */
final class CellClassLoader extends URLClassLoader implements LoaderDelegate {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> bytecodes = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();

    CellClassLoader(ClassLoader parent) {
        super("notebook-cells", new URL[0], parent);
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            bytecodes.put(classes[i].name(), classes[i].bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                loaded.put(classes[i].name(), loadClass(classes[i].name()));
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load the cell's class " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            bytecodes.put(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        StringBuilder added = new StringBuilder();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                addURL(Path.of(entry).toAbsolutePath().toUri().toURL());
                added.append(File.pathSeparator).append(entry);
            } catch (MalformedURLException e) {
                throw new InternalException("cannot add " + entry + " to the class path: " + e.getMessage());
            }
        }
        // Some libraries read the class path from this property (e.g. to scan for classes).
        System.setProperty("java.class.path", System.getProperty("java.class.path", "") + added);
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        if (c != null) {
            return c;
        }
        byte[] bytes = bytecodes.get(name);
        if (bytes == null) {
            return super.findClass(name);
        }
        return defineClass(name, bytes, 0, bytes.length, (CodeSource) null);
    }
}
