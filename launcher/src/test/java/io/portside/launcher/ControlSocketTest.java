package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket and its client in one JVM, with a fixed status: the protocol, its bounds and its files. */
class ControlSocketTest {

    @TempDir
    Path home;

    private final AtomicReference<HostStatus> status = new AtomicReference<>(
            StatusFormatTest.status(List.of(StatusFormatTest.bound("echo-tcp", 5, 50))));
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ControlServer server;

    private ControlServer start() {
        server = ControlServer.start(home, status::get, () -> { }, stopped::countDown).orElseThrow();
        return server;
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSocketIsOwnerOnlyInAnOwnerOnlyFolderAndGoneAfterClose() throws IOException {
        try (HostLock lock = HostLock.acquire(home)) {
            assertTrue(lock != null);
            start();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ControlFiles.dir(home))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ControlFiles.socket(home))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ControlFiles.lock(home))));
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(ControlFiles.lock(home)));
            server.close();
            assertFalse(Files.exists(ControlFiles.socket(home)));
        }
    }

    @Test
    void statusCommandPrintsTheTableOrJsonWithItsExitStatus() {
        start();
        Run text = run("status");
        assertEquals(0, text.exit, text.err);
        assertEquals(StatusTable.render(status.get()), text.out);
        Run json = run("status", "--json");
        assertEquals(0, json.exit, json.err);
        assertEquals(status.get(), StatusJson.read(json.out.strip()));
        status.set(StatusFormatTest.status(List.of(StatusFormatTest.bound("echo-tcp", 5, 50), StatusFormatTest.failed())));
        assertEquals(1, run("status").exit);
    }

    @Test
    void noHostMeansExitThreeAndAStaleSocketIsReplaced() throws IOException {
        Run none = run("status");
        assertEquals(3, none.exit);
        assertTrue(none.err.contains("no Portside host is running on " + home), none.err);
        assertEquals(3, run("stop").exit);
        // A crashed host's socket file: nobody listens on it any more.
        HomeFolders.createOwnerOnly(ControlFiles.dir(home));
        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(ControlFiles.socket(home)));
        crashed.close(); // leaves the file
        assertTrue(Files.exists(ControlFiles.socket(home)));
        assertEquals(3, run("status").exit);
        start();
        assertEquals(0, run("status").exit);
    }

    @Test
    void aSecondHostOnTheSameHomeIsRefused() throws IOException {
        try (HostLock first = HostLock.acquire(home)) {
            assertTrue(first != null);
            HostLock.HostRunningException e = assertThrows(HostLock.HostRunningException.class, () -> HostLock.acquire(home));
            assertTrue(e.getMessage().contains("another Portside host") && e.getMessage().contains(home.toString()), e.getMessage());
        }
        HostLock.acquire(home).close(); // free again once the first has gone
    }

    @Test
    void requestsAreOneLineOfAtMostSixtyFourBytes() throws IOException {
        start();
        assertTrue(exchange("status json\n").startsWith("{\"pid\":"));
        assertTrue(exchange("status").contains("NAME"), "the end of input ends the line too");
        assertEquals("error: unknown request (status, status json, stop)\n", exchange("hello\n"));
        // A longer line is cut at 64 bytes and refused; the rest is never read, so the client may see a reset instead.
        try {
            assertEquals("error: unknown request (status, status json, stop)\n", exchange("status".repeat(20) + "\n"));
        } catch (java.net.SocketException reset) {
            // as said
        }
        assertTrue(exchange("status json\n").startsWith("{\"pid\":"), "the host still answers");
    }

    @Test
    void aSilentClientIsCutOffAtTheDeadline() throws IOException {
        start();
        try (SocketChannel idle = connect()) {
            long t0 = System.nanoTime();
            assertEquals(-1, idle.read(ByteBuffer.allocate(16)), "closed by the host");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= ControlServer.EXCHANGE_TIMEOUT.toMillis() - 500, "after the deadline: " + waited + " ms");
            assertTrue(exchange("status\n").contains("NAME"), "and the host still answers others");
        }
    }

    @Test
    void stopRunsTheStopActionAndKeepsTheConnectionOpen() throws Exception {
        start();
        try (SocketChannel c = connect()) {
            c.write(ByteBuffer.wrap("stop\n".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(stopped.await(5, TimeUnit.SECONDS));
            ByteBuffer answer = ByteBuffer.allocate(64);
            c.read(answer);
            assertEquals("stopping " + ProcessHandle.current().pid() + "\n", new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII));
            server.close();
            c.configureBlocking(false);
            assertEquals(0, c.read(ByteBuffer.allocate(1)), "still open: it ends with the host's process");
        }
    }

    private SocketChannel connect() throws IOException {
        return new ControlClient(home).connect();
    }

    private String exchange(String request) throws IOException {
        try (SocketChannel c = connect()) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            return ControlClient.readAll(c);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        int exit = ControlCommands.run(command, all, Path.of("unused"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
