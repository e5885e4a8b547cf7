package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may deploy, on the real host: nothing from a deploy folder that every user may write, nor a file owned by
 * another user or writable by every user, is deployed; the host says so in one line and deploys it, without a
 * restart, once the permissions are fixed. A home or deploy folder that others may write at start is refused.
 */
class DeployTrustIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final String BANNER = "io.portside.fixture.banner";
    /** Enough deploy polls (100 ms each in the harness) for FileInstall and the gate to have looked several times. */
    private static final long SEVERAL_POLLS_MILLIS = 1000;

    @TempDir
    Path home;
    HostHarness host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aJarInAWorldWritableDeployFolderIsNotDeployedUntilTheFolderIsFixed() throws Exception {
        host = HostHarness.start(home, Map.of());
        int port = freePort();
        host.writeNewConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        long since = System.nanoTime();
        chmod(host.deploy(), "rwxrwxrwx");
        host.deploy(testBundle("banner-v1"), "banner.jar");

        String line = host.awaitLogEntry("Not deploying", SOON, since).line();
        assertTrue(line.contains(host.deploy() + " is writable by every user") && line.endsWith("fix: chmod o-w " + host.deploy()), line);
        Thread.sleep(SEVERAL_POLLS_MILLIS);
        assertNull(host.bundle(BANNER), "a jar from a world-writable folder is not installed");
        assertEquals(1, refusals(since), "said once, not once per poll: " + host.logLinesSince(since));

        chmod(host.deploy(), "rwxr-xr-x");
        awaitAnswer(port, "hello", "v1:hello", SOON);
        host.awaitLogEntry(host.deploy() + " is trusted again", SOON, since);
    }

    @Test
    void aFolderThatTurnsWorldWritableWhileRunningStopsDeployingChanges() throws Exception {
        host = HostHarness.start(home, Map.of());
        int port = freePort();
        host.writeNewConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hello", "v1:hello", SOON);

        long since = System.nanoTime();
        chmod(host.deploy(), "rwxrwxrwx");
        host.deploy(testBundle("banner-v2"), "banner.jar");
        host.awaitLogEntry("Not deploying from " + host.deploy(), SOON, since);
        Thread.sleep(SEVERAL_POLLS_MILLIS);
        assertEquals("v1:hello", HostHarness.exchange(port, "hello"), "v1 keeps serving; v2 is withheld");
        assertEquals(1, refusals(since), host.logLinesSince(since).toString());

        chmod(host.deploy(), "rwxr-x---");
        awaitAnswer(port, "hello", "v2:hello", SOON);
    }

    @Test
    void aConfigurationThatEveryUserMayWriteIsNotApplied() throws Exception {
        host = HostHarness.start(home, Map.of());
        int port = freePort();
        host.deploy(testBundle("banner-v1"), "banner.jar");
        host.awaitLog("Deployed banner\\.jar", SOON);
        Path cfg = host.deploy().resolve("io.portside.listener-banner.cfg");
        Path tmp = host.deploy().resolve(".listener.tmp");
        Files.writeString(tmp, "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        chmod(tmp, "rw-rw-rw-");
        long since = System.nanoTime();
        Files.move(tmp, cfg);

        String line = host.awaitLogEntry("Not deploying io\\.portside\\.listener-banner\\.cfg", SOON, since).line();
        assertTrue(line.endsWith("fix: chmod o-w " + cfg), line);
        // Longer than the host's convergence on deploy/ takes to apply a file FileInstall did not (two checks, 2 s apart,
        // of a file older than 4 s): it must leave a withheld file alone too.
        Thread.sleep(9000);
        assertNull(HostHarness.exchange(port, "hello"), "no listener from an untrusted configuration");
        assertEquals(1, refusals(since), host.logLinesSince(since).toString());

        chmod(cfg, "rw-r--r--");
        awaitAnswer(port, "hello", "v1:hello", SOON);
    }

    @Test
    void aJarOwnedByAnotherUserIsNotDeployedUntilItIsChownedBack() throws Exception {
        assumeTrue(isRoot(), "only root can give a file to another user (uid 65534): the ownership case is skipped");
        host = HostHarness.start(home, Map.of());
        UserPrincipal me = Files.getOwner(host.deploy());
        Path tmp = host.deploy().resolve(".banner.jar.part");
        Files.copy(testBundle("banner-v1"), tmp);
        chown(tmp, "65534");
        long since = System.nanoTime();
        Files.move(tmp, host.deploy().resolve("banner.jar"));

        String line = host.awaitLogEntry("Not deploying banner\\.jar", SOON, since).line();
        assertTrue(line.contains("is owned by uid 65534"), line);
        Thread.sleep(SEVERAL_POLLS_MILLIS);
        assertNull(host.bundle(BANNER), "a jar owned by another user is not installed");
        assertEquals(1, refusals(since), host.logLinesSince(since).toString());

        Files.setOwner(host.deploy().resolve("banner.jar"), me);
        host.awaitLogEntry("Deployed banner\\.jar", SOON, since);
    }

    @Test
    void aDeployFolderOwnedByAnotherUserIsNotDeployedFrom() throws Exception {
        assumeTrue(isRoot(), "only root can give a folder to another user (uid 65534): the ownership case is skipped");
        host = HostHarness.start(home, Map.of());
        long since = System.nanoTime();
        chown(host.deploy(), "65534");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        String line = host.awaitLogEntry("Not deploying from " + host.deploy(), SOON, since).line();
        assertTrue(line.contains("is owned by uid 65534"), line);
        Thread.sleep(SEVERAL_POLLS_MILLIS);
        assertNull(host.bundle(BANNER));
    }

    @Test
    void aWorldWritableDeployFolderAtStartIsRefused() throws Exception {
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        chmod(deploy, "rwxrwxrwx");
        IOException refused = assertThrows(IOException.class, () -> HostHarness.start(home, Map.of()));
        assertTrue(refused.getMessage().endsWith("fix: chmod o-w " + deploy), refused.getMessage());
    }

    @Test
    void aWorldWritableHomeAtStartIsRefused() throws Exception {
        chmod(home, "rwxrwxrwx");
        IOException refused = assertThrows(IOException.class, () -> HostHarness.start(home, Map.of()));
        assertTrue(refused.getMessage().startsWith(home + " is writable by every user"), refused.getMessage());
    }

    private long refusals(long since) {
        return host.logLinesSince(since).stream().filter(l -> l.contains("Not deploying")).count();
    }

    static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    static void chown(Path p, String uid) throws IOException, InterruptedException {
        Process chown = new ProcessBuilder("chown", uid, p.toString()).inheritIO().start();
        assertEquals(0, chown.waitFor(), "chown " + uid + " " + p);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
