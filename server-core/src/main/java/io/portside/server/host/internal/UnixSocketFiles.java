package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import io.portside.server.internal.SocketPathKind;

/**
 * Prepares a Unix socket path for binding: creates its folder and removes a stale socket file left by a host that
 * did not stop cleanly. Only a socket file (by {@code lstat}: never through a symbolic link) that nobody listens on is
 * ever removed; anything else at the path (a live socket, a regular file, a directory, a FIFO, a symbolic link) is
 * left alone, and the server's bind then fails with one line naming the path and what is there.
 */
final class UnixSocketFiles {

    private static final System.Logger LOG = System.getLogger(UnixSocketFiles.class.getName());

    private UnixSocketFiles() {
    }

    static Path prepare(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (SocketPathKind.of(path) == SocketPathKind.SOCKET) {
            removeIfStale(path);
        }
        return path;
    }

    /** Removes {@code path} if nobody listens on it and it is still the same socket file after the probe. */
    private static void removeIfStale(Path path) throws IOException {
        Object probed = SocketPathKind.fileKey(path);
        if (probed != null && stale(path) && SocketPathKind.of(path) == SocketPathKind.SOCKET
                && Objects.equals(probed, SocketPathKind.fileKey(path))) {
            Files.delete(path);
            LOG.log(Level.INFO, "Removed stale socket file {0}: nothing listened on it", path);
        }
    }

    /**
     * A socket file nobody is bound to refuses a connection (ECONNREFUSED). A live stream socket accepts one;
     * a live datagram socket answers with another error (EPROTOTYPE): both are left alone. (A regular file or FIFO
     * refuses too, which is why only socket files get here.)
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
