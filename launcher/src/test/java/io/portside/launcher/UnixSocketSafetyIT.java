package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix socket listeners on the real host: a path that holds anything but a stale socket file fails the listener in one
 * line and stays untouched, and {@code unix.mode} / {@code unix.group} decide which local users may connect.
 */
class UnixSocketSafetyIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path home;
    HostHarness host;
    Path sockets;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        sockets = Files.createDirectories(home.resolve("sockets"));
        // echo's own endpoints moved off the defaults; the listeners below are configured.
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitListener("echo-udp", RuntimeListener::bound, SOON);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private void listener(String name, String endpoint, String extra) throws Exception {
        host.writeConfig("io.portside.listener-" + name + ".cfg", "endpoint=" + endpoint + "\nhandler=echo\n" + extra);
    }

    @Test
    void aRegularFileOrFifoAtThePathFailsTheListenerInOneLineAndIsLeftUntouched() throws Exception {
        Path file = sockets.resolve("file.sock");
        Files.writeString(file, "precious data");
        Path fifo = sockets.resolve("fifo.sock");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

        listener("onfile", "unix:sockets/file.sock", "");
        listener("onfifo", "unixgram:sockets/fifo.sock", "");
        host.awaitLog("Listener onfile on unix:" + Pattern.quote(file.toString()) + " failed: cannot bind .*address already in use \\("
                + Pattern.quote(file + " is a regular file, not a socket; it is left untouched") + "\\)", SOON);
        host.awaitLog("Listener onfifo on unixgram:" + Pattern.quote(fifo.toString()) + " failed: cannot bind .*"
                + Pattern.quote(fifo + " is a FIFO (named pipe), not a socket; it is left untouched"), SOON);
        assertTrue(host.listener("onfile").failed() && host.listener("onfifo").failed(), host.runtimeJson());
        assertEquals("precious data", Files.readString(file));
        assertEquals(010000, mode(fifo) & 0170000, "still a FIFO");
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path stale = sockets.resolve("stale.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(stale)); // closed without removing its file
        }
        listener("stale", "unix:sockets/stale.sock", "");
        host.awaitLog("Removed stale socket file " + Pattern.quote(stale.toString()) + ": nothing listened on it", SOON);
        host.awaitBound("stale", "unix:" + stale, SOON);
        assertEquals("AGAIN", Wire.unixExchange(stale, "again"));
    }

    @Test
    void theDefaultIsOwnerAndGroupAndTheKeysSetModeAndGroup() throws Exception {
        listener("closed", "unix:sockets/closed.sock", "");
        listener("open", "unix:sockets/open.sock", "unix.mode=0666\n");
        listener("grouped", "unixgram:sockets/grouped.sock", "unix.mode=0660\nunix.group=" + OtherUser.NOBODY + "\n");
        for (String name : new String[] {"closed", "open", "grouped"}) {
            host.awaitListener(name, RuntimeListener::bound, SOON);
        }
        assertEquals(0140660, mode(sockets.resolve("closed.sock")));
        assertEquals(0140666, mode(sockets.resolve("open.sock")));
        assertEquals(0140660, mode(sockets.resolve("grouped.sock")));
        assertEquals(OtherUser.NOBODY, Files.getAttribute(sockets.resolve("grouped.sock"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("OWNER", Wire.unixExchange(sockets.resolve("closed.sock"), "owner"));
    }

    /** As root only: user nobody is refused by the default and admitted by a mode or a group that grants it. */
    @Test
    void anotherUserIsRefusedByDefaultAndAdmittedByModeOrGroup() throws Exception {
        OtherUser.assumeAvailable();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x")); // @TempDir is 0700
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwx--x--x"));
        Path clients = OtherUser.clientFolder(home);
        listener("closed", "unix:sockets/closed.sock", "");
        listener("open", "unix:sockets/open.sock", "unix.mode=0666\n");
        listener("closedgram", "unixgram:sockets/closed-dgram.sock", "");
        listener("grouped", "unixgram:sockets/grouped.sock", "unix.mode=0660\nunix.group=" + OtherUser.NOBODY + "\n");
        for (String name : new String[] {"closed", "open", "closedgram", "grouped"}) {
            host.awaitListener(name, RuntimeListener::bound, SOON);
        }
        assertEquals("EACCES", OtherUser.hello("stream", sockets.resolve("closed.sock"), clients));
        assertEquals("HELLO", OtherUser.hello("stream", sockets.resolve("open.sock"), clients));
        assertEquals("EACCES", OtherUser.hello("datagram", sockets.resolve("closed-dgram.sock"), clients));
        assertEquals("HELLO", OtherUser.hello("datagram", sockets.resolve("grouped.sock"), clients));
    }

    @Test
    void aBadModeOrAnUnknownGroupFailsTheListenerInOneLineNamingKeyAndValue() throws Exception {
        listener("badmode", "unix:sockets/badmode.sock", "unix.mode=rw-rw----\n");
        listener("badgroup", "unix:sockets/badgroup.sock", "unix.group=no-such-group-here\n");
        host.awaitLog("Listener badmode on .* failed: bad configuration .*io\\.portside\\.listener-badmode\\.cfg: "
                + Pattern.quote("'unix.mode' is not an octal file mode like 0660 (no setuid, setgid or sticky bit): 'rw-rw----'"), SOON);
        host.awaitLog("Listener badgroup on .* failed: bad configuration .*io\\.portside\\.listener-badgroup\\.cfg: "
                + Pattern.quote("'unix.group' names no group on this host: 'no-such-group-here'"), SOON);
        assertTrue(Files.notExists(sockets.resolve("badmode.sock"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(host.listener("badmode").failed() && host.listener("badgroup").failed(), host.runtimeJson());
    }

    private static int mode(Path path) throws Exception {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
