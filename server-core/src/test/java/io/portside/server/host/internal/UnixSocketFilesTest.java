package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.server.PathOccupant;
import io.portside.server.internal.SocketPathKind;

/** The host removes a stale socket file before binding, and nothing else. */
@Execution(ExecutionMode.CONCURRENT)
class UnixSocketFilesTest {

    @Test
    void aStaleSocketFileIsRemoved(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("stale.sock");
        PathOccupant.STALE_SOCKET.create(path);
        UnixSocketFiles.prepare(path);
        assertEquals(SocketPathKind.ABSENT, SocketPathKind.of(path));
    }

    /** A regular file, a FIFO or a directory refuses a connection just as a stale socket does: none is removed. */
    @ParameterizedTest
    @EnumSource(value = PathOccupant.class, mode = EnumSource.Mode.EXCLUDE, names = "STALE_SOCKET")
    void anythingButAStaleSocketFileIsLeftUntouched(PathOccupant occupant, @TempDir Path dir) throws Exception {
        Path path = dir.resolve("x.sock");
        String before = occupant.create(path);
        UnixSocketFiles.prepare(path);
        PathOccupant.assertUntouched(path, before);
    }

    @Test
    void aSocketSomethingListensOnIsLeftUntouched(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(path));
            UnixSocketFiles.prepare(path);
            assertEquals(SocketPathKind.SOCKET, SocketPathKind.of(path));
        }
    }

    @Test
    void itsFolderIsCreated(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("a/b/x.sock");
        UnixSocketFiles.prepare(path);
        assertEquals(SocketPathKind.DIRECTORY, SocketPathKind.of(path.getParent()));
    }
}
