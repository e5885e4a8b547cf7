package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

import io.portside.server.internal.SocketPathKind;

/** Something that may already be at a socket path, and the check that it is exactly as it was. */
public enum PathOccupant {
    REGULAR_FILE(SocketPathKind.REGULAR_FILE),
    DIRECTORY(SocketPathKind.DIRECTORY),
    FIFO(SocketPathKind.FIFO),
    /** A link to a stale socket file: following it would find a socket that refuses connections. */
    SYMLINK_TO_STALE_SOCKET(SocketPathKind.SYMBOLIC_LINK),
    DANGLING_SYMLINK(SocketPathKind.SYMBOLIC_LINK),
    /** A socket file nothing listens on (a server that did not stop cleanly). */
    STALE_SOCKET(SocketPathKind.SOCKET);

    public final SocketPathKind kind;

    PathOccupant(SocketPathKind kind) {
        this.kind = kind;
    }

    /** Puts this at {@code path}; returns a snapshot to compare with {@link #assertUntouched}. */
    public String create(Path path) throws Exception {
        switch (this) {
            case REGULAR_FILE -> Files.writeString(path, "precious data");
            case DIRECTORY -> Files.createDirectory(path);
            case FIFO -> run("mkfifo", path.toString());
            case SYMLINK_TO_STALE_SOCKET -> Files.createSymbolicLink(path, staleSocket(path.resolveSibling(path.getFileName() + ".target")));
            case DANGLING_SYMLINK -> Files.createSymbolicLink(path, path.resolveSibling("nowhere"));
            case STALE_SOCKET -> staleSocket(path);
        }
        assertEquals(kind, SocketPathKind.of(path), "fixture");
        return snapshot(path);
    }

    /** Asserts {@code path} holds the same file as when {@link #create} returned {@code before}. */
    public static void assertUntouched(Path path, String before) throws IOException {
        assertEquals(before, snapshot(path), path + " must be left untouched");
    }

    /** A socket file left behind: the JDK does not remove it when its channel closes. */
    static Path staleSocket(Path path) throws IOException {
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(path));
        }
        return path;
    }

    private static String snapshot(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String detail = a.isSymbolicLink() ? "-> " + Files.readSymbolicLink(path)
                : a.isRegularFile() ? Files.readString(path) : "";
        return SocketPathKind.of(path) + " " + a.fileKey() + " " + detail;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }
}
