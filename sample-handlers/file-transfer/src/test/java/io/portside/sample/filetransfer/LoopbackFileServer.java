package io.portside.sample.filetransfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import io.portside.server.ThreadingTcpServer;

/** The file-transfer handler serving {@code root} on a loopback port, on the plain-Java threading server. */
final class LoopbackFileServer implements AutoCloseable {

    private final ThreadingTcpServer server;
    private final Thread serving;

    LoopbackFileServer(Path root) throws IOException {
        FileRoot fileRoot = new FileRoot(root);
        server = new ThreadingTcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> new FileTransferHandler(fileRoot));
        serving = Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serveForever();
            } catch (IOException ignored) {
                // closed
            }
        });
    }

    Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true); // each write is its own segment, as the tests mean it
        return s;
    }

    @Override
    public void close() throws Exception {
        server.shutdown();
        server.close();
        serving.join(5000);
    }
}
