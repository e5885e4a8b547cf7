package io.portside.server.host.internal;

import java.io.IOException;
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
        if (Files.exists(path) && !listening(path)) {
            Files.delete(path);
        }
        return path;
    }

    private static boolean listening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
