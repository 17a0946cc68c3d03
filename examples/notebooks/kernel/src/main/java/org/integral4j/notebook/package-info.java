/**
 * A Jupyter kernel for Java cells, used to run the Integral4J notebooks: cells are evaluated by
 * JShell in the kernel's JVM; Jupyter messaging, display data and renderers come from JJava's
 * {@code jjava-jupyter} library (Maven Central). Line magics follow IJava/JJava: {@code %jars} and
 * {@code %classpath} add jars (globs allowed) to the cell class path. Cells call
 * {@link org.integral4j.notebook.Notebook#display(Object)} as in IJava/JJava; the value of a cell's
 * last expression is shown as its result ({@link java.awt.image.RenderedImage} as PNG).
 */
package org.integral4j.notebook;
