package io.portside.server.host.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares a Unix socket path for binding: creates its folder and removes a stale socket file left by a host
 * that did not stop cleanly. A file that something still listens on is left alone, so the bind fails clearly.
 */
final class UnixSocketFiles {

    private UnixSocketFiles() {
    }

    static Path prepare(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (Files.exists(path) && stale(path)) {
            Files.delete(path);
        }
        return path;
    }

    /**
     * A socket file nobody is bound to refuses a connection (ECONNREFUSED). A live stream socket accepts one;
     * a live datagram socket answers with another error (EPROTOTYPE): both are left alone.
     */
    private static boolean stale(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return false;
        } catch (ConnectException refused) {
            return "Connection refused".equals(refused.getMessage());
        } catch (IOException other) {
            return false;
        }
    }
}
