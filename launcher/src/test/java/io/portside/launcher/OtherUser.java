package io.portside.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Unix socket client run as another local user: {@code nobody} (uid and gid 65534, no supplementary groups), through
 * {@code setpriv}. Only root can switch users, so tests that need it skip elsewhere, saying why.
 */
final class OtherUser {

    static final int NOBODY = 65534;
    /** A Python the other user can run: {@code /root}, where pyenv shims live, is closed to it. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String CLIENT = String.join("\n",
            "import errno, os, socket, sys",
            "kind, path = sys.argv[1], sys.argv[2]",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM if kind == 'stream' else socket.SOCK_DGRAM)",
            "s.settimeout(10)",
            "try:",
            "    if kind == 'stream':",
            "        s.connect(path)",
            "        s.sendall(b'hello\\n')",
            "    else:",
            "        s.bind(os.path.join(sys.argv[3], 'client-%d.sock' % os.getpid()))",
            "        s.sendto(b'hello\\n', path)",
            "    print(s.recv(100).decode().strip())",
            "except OSError as e:",
            "    print(errno.errorcode.get(e.errno, str(e)))");

    private OtherUser() {
    }

    /** A folder in {@code dir} where nobody may bind its client sockets. */
    static Path clientFolder(Path dir) throws IOException {
        Path clients = Files.createDirectories(dir.resolve("clients"));
        Files.setPosixFilePermissions(clients, PosixFilePermissions.fromString("rwxrwxrwx"));
        return clients;
    }

    /** Skips the calling test unless this JVM runs as root with setpriv and a Python that nobody may run. */
    static void assumeAvailable() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0,
                "skipped: connecting as another user (nobody) needs root to switch users; this test runs as a non-root user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: /usr/bin/setpriv is not installed");
        assumeTrue(Files.isExecutable(PYTHON), "skipped: " + PYTHON + " is not installed");
    }

    /**
     * Sends {@code hello} as nobody ({@code stream}: connects and sends a line; {@code datagram}: sends from a socket
     * bound in {@code clients}, a folder nobody may write to) and returns the reply, or the errno name of the failure,
     * e.g. {@code EACCES}.
     */
    static String hello(String kind, Path socket, Path clients) throws Exception {
        List<String> command = List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                PYTHON.toString(), "-c", CLIENT, kind, socket.toString(), clients.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the client running as nobody did not finish within 30 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
