package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.SocketPathKind;

/**
 * The socket files of the plain Unix servers: never bound over, never removed unless their own, and created with
 * exact permissions before anyone can reach them (docs/semantics.md, case 19).
 */
@Execution(ExecutionMode.CONCURRENT)
class UnixSocketSafetyTest {

    enum Kind { STREAM, DATAGRAM }

    static Stream<Arguments> occupied() {
        return Stream.of(Kind.values()).flatMap(k -> Stream.of(PathOccupant.values()).map(o -> Arguments.of(k, o)));
    }

    /** Anything at the path fails the bind with a message naming the path and what is there, and stays as it was. */
    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("occupied")
    void anOccupiedPathIsReportedAndLeftUntouched(Kind kind, PathOccupant occupant, @TempDir Path dir) throws Exception {
        Path path = dir.resolve("x.sock");
        String before = occupant.create(path);
        BindException e = assertThrows(BindException.class, () -> server(kind, path, null).close());
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains(occupant.kind.description()), e.getMessage());
        PathOccupant.assertUntouched(path, before);
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".bind-")), "no private bind folder is left behind");
        }
    }

    /** Close removes the socket file the server created, but not a file that replaced it meanwhile. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void closeRemovesOnlyTheServersOwnSocketFile(Kind kind, @TempDir Path dir) throws Exception {
        Path path = dir.resolve("own.sock");
        server(kind, path, null).close();
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "its own socket file is removed");

        BaseServer<?> server = server(kind, path, null);
        Files.delete(path);
        Files.writeString(path, "put here by someone else");
        server.close();
        assertEquals("put here by someone else", Files.readString(path), "a file that replaced the socket stays");

        Files.delete(path);
        server = server(kind, path, null);
        Files.delete(path);
        PathOccupant.staleSocket(path); // another socket file, another inode
        server.close();
        assertEquals(SocketPathKind.SOCKET, SocketPathKind.of(path), "a socket file that is not the server's own stays");
    }

    /** By default owner and group may connect, nobody else, whatever the umask (the datagram socket was 0666). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDefaultModeIsOwnerAndGroupOnly(Kind kind, @TempDir Path dir) throws Exception {
        Path path = dir.resolve("default.sock");
        try (BaseServer<?> server = server(kind, path, null)) {
            assertEquals(0660, mode(path));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theModeAndGroupSetBeforeBindAreApplied(Kind kind, @TempDir Path dir) throws Exception {
        Path path = dir.resolve("set.sock");
        GroupPrincipal group = Files.readAttributes(dir, PosixFileAttributes.class).group(); // one we may chown to
        try (BaseServer<?> server = server(kind, path, PosixFilePermissions.fromString("rw-r-----"), group)) {
            assertEquals(0640, mode(path));
            assertEquals(group, Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group());
        }
    }

    /** Another local user is refused by the default mode and admitted by one that grants it (as root only). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void anotherUserIsRefusedByDefaultAndAdmittedWhenTheModeGrantsIt(Kind kind, @TempDir Path dir) throws Exception {
        OtherUser.assumeAvailable();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // nobody may traverse to the sockets
        String client = kind == Kind.STREAM ? "stream" : "datagram";
        Path closed = dir.resolve("closed.sock");
        Path open = dir.resolve("open.sock");
        Path clients = OtherUser.clientFolder(dir);
        try (Serving a = Serving.start(server(kind, closed, null));
                Serving b = Serving.start(server(kind, open, PosixFilePermissions.fromString("rw-rw-rw-")))) {
            assertEquals("EACCES", OtherUser.hello(client, closed, clients), "0660 refuses another user");
            assertEquals("hello", OtherUser.hello(client, open, clients), "0666 admits every local user");
        }
    }

    private static int mode(Path path) throws Exception {
        return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    private static BaseServer<?> server(Kind kind, Path path, Set<PosixFilePermission> mode) throws Exception {
        return server(kind, path, mode, null);
    }

    /** A bound echo server; {@code mode} null for the default. */
    private static BaseServer<?> server(Kind kind, Path path, Set<PosixFilePermission> mode, GroupPrincipal group) throws Exception {
        BaseServer<?> s;
        UnixSocketFile file;
        if (kind == Kind.STREAM) {
            UnixStreamServer stream = new UnixStreamServer(path, Handlers.LineEcho::new, ConcurrencyModel.threading(), false);
            s = stream;
            file = stream.socketFile();
        } else {
            UnixDatagramServer datagram = new UnixDatagramServer(path, Handlers.DatagramEcho::new, ConcurrencyModel.synchronous(), false);
            s = datagram;
            file = datagram.socketFile();
        }
        if (mode != null) {
            file.setPermissions(mode);
        }
        file.setGroup(group);
        s.bindAndActivate();
        return s;
    }
}
