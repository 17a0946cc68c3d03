package org.integral4j.notebook;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Functions for notebook cells, imported statically in every notebook of this kernel (the same
 * names as in IJava/JJava, so cells run on either kernel).
 */
public final class Notebook {

    private Notebook() {
    }

    /**
     * Shows a value in the cell's output now, rendered by the kernel's renderer (images as PNG,
     * anything else as its {@code toString()}).
     *
     * @param value what to show
     */
    public static void display(Object value) {
        BaseKernel kernel = kernel();
        kernel.display(kernel.getRenderer().render(value));
    }

    /**
     * Shows a value as the given MIME types, e.g. {@code display(table, "text/markdown")}: text is
     * passed through as it is for {@code text/*} types (with a {@code text/plain} copy).
     *
     * @param value     what to show
     * @param mimeTypes e.g. {@code "text/markdown"}, {@code "text/html"}, {@code "image/png"}
     */
    public static void display(Object value, String... mimeTypes) {
        BaseKernel kernel = kernel();
        if (value instanceof CharSequence text && allText(mimeTypes)) {
            DisplayData data = new DisplayData(text.toString());
            for (String mime : mimeTypes) {
                data.putData(mime, text.toString());
            }
            kernel.display(data);
        } else {
            kernel.display(kernel.getRenderer().renderAs(value, mimeTypes));
        }
    }

    private static boolean allText(String[] mimeTypes) {
        for (String mime : mimeTypes) {
            if (!mime.startsWith("text/")) {
                return false;
            }
        }
        return mimeTypes.length > 0;
    }

    private static BaseKernel kernel() {
        BaseKernel kernel = BaseKernel.notebookKernel();
        if (kernel == null) {
            throw new IllegalStateException("display() works inside a notebook kernel only (no kernel is running "
                    + "in this JVM)");
        }
        return kernel;
    }
}
