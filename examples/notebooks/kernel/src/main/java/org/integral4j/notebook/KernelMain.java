package org.integral4j.notebook;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point that Jupyter starts (see the kernelspec written by
 * {@code examples/notebooks/install-kernel.sh}): {@code java ... org.integral4j.notebook.KernelMain
 * <connection file>}.
 */
public final class KernelMain {

    private static final Logger LOG = LoggerFactory.getLogger(KernelMain.class);

    private KernelMain() {
    }

    /**
     * Connects to Jupyter and serves requests until the client shuts the kernel down.
     *
     * @param args one argument: the connection file Jupyter wrote
     * @throws Exception when the connection file cannot be read or the sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelMain <connection-file>; got " + args.length + " arguments");
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file " + connectionFile.toAbsolutePath() + " is not a file");
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);
        JavaNotebookKernel kernel = JavaNotebookKernel.create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        LOG.info("{} listening ({} transport)", kernel.getBanner(), props.getTransport());
        connection.waitUntilClose();
        kernel.onShutdown(false);
    }
}
