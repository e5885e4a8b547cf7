package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar started with {@code umask 000}: every folder it creates is owner-only, the seeded samples are
 * not writable by others (and so are deployed); a deploy folder that every user may write stops it at start, with
 * one line.
 */
class LauncherTrustIT {

    @TempDir
    Path parent;

    @Test
    void umask000StartCreatesOwnerOnlyFolders() throws Exception {
        assumeTrue(HostDeployIT.free(9999), "port 9999 is busy on this machine (is a Portside host running?)");
        Path home = parent.resolve("home");
        try (LauncherProcess host = LauncherProcess.startInShell("umask 000", home, List.of())) {
            host.awaitOutput("Deployed echo.jar", Duration.ofSeconds(60));
            for (String folder : List.of("", "deploy", "felix-cache", "sockets", "files", "work")) {
                Path p = home.resolve(folder);
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
            try (Stream<Path> jars = Files.list(home.resolve("deploy"))) {
                for (Path jar : jars.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(jar)), jar.toString());
                }
            }
            assertTrue(host.output().stream().noneMatch(l -> l.contains("Not deploying")), String.join("\n", host.output()));
            assertEquals(0, host.stop(), String.join("\n", host.output()));
        }
    }

    @Test
    void aWorldWritableDeployFolderStopsTheStartWithOneLine() throws Exception {
        Path home = parent.resolve("home");
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (LauncherProcess host = LauncherProcess.startInShell("umask 022", home, List.of())) {
            assertTrue(host.process().waitFor(60, TimeUnit.SECONDS), "the launcher exits");
            List<String> out = host.output();
            assertEquals(1, host.process().exitValue(), String.join("\n", out));
            assertEquals(1, out.size(), "one line: " + String.join("\n", out));
            assertTrue(out.get(0).contains("Refusing to start: " + deploy + " is writable by every user")
                    && out.get(0).endsWith("fix: chmod o-w " + deploy), out.get(0));
        }
    }
}
