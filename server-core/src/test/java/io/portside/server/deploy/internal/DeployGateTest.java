package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The deploy gate with its jar deployer over a fake framework and a real deploy folder: trusted jars go through, an
 * untrusted file or folder withholds them (said once) until its permissions are fixed, and a bad update never
 * replaces the serving revision.
 */
class DeployGateTest {

    @TempDir
    Path home;
    Path deploy;
    Path data;
    FakeFramework framework;
    DeployGate gate;
    DeployLog log;

    @BeforeEach
    void setUp() throws IOException {
        deploy = Files.createDirectories(home.resolve("deploy"));
        data = Files.createDirectories(home.resolve("felix-cache/bundle1/data"));
        chmod(home, "rwx------");
        chmod(deploy, "rwx------");
        log = new DeployLog(home, "io.example.", "b.jar"); // the deployer's lines name the jar and bundle, not the folder
        framework = new FakeFramework(data, Map.of("portside.home", home.toString(), "felix.fileinstall.dir", deploy.toString(),
                "felix.fileinstall.poll", "50"));
        gate = new DeployGate(framework.context());
    }

    @AfterEach
    void tearDown() {
        gate.deactivate();
        log.close();
    }

    @Test
    void aTrustedJarIsInstalledStartedAndKeptAsTheLastGoodCopy() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        assertTrue(gate.canHandle(jar));
        gate.install(jar);
        FakeFramework.FakeBundle b = installed(jar);
        assertEquals(Bundle.ACTIVE, b.state);
        assertEquals("io.example.a", b.symbolicName);
        assertTrue(Files.exists(data.resolve("last-good").resolve(b.id + ".jar")), "last good copy kept");
        assertEquals(1, log.count("INFO Deployed a.jar: io.example.a 1.0.0"), log.lines().toString());
    }

    @Test
    void aConfigurationFileIsNotTheGatesWithoutFileInstallsConfigInstaller() {
        assertFalse(gate.canHandle(deploy.resolve("io.example.cfg").toFile()));
    }

    @Test
    void aFileOthersMayWriteIsWithheldAndSaidOnceThenDeployedWhenFixed() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        chmod(jar.toPath(), "rw-rw-rw-");
        gate.install(jar);
        gate.update(jar); // FileInstall's next poll: still withheld, not said again
        Thread.sleep(300); // several re-checks
        assertNull(framework.bundles.get(location(jar)), "withheld");
        assertEquals(1, log.count("WARNING Not deploying a.jar: " + jar + " is writable by every user"), log.lines().toString());

        chmod(jar.toPath(), "rw-r--r--");
        await(() -> framework.bundles.get(location(jar)) != null, "the fixed jar to be deployed by the re-check");
        assertEquals(Bundle.ACTIVE, installed(jar).state);
        await(() -> log.count("INFO " + jar + " is trusted again: deploying it") == 1, "the fix to be said: " + log.lines());
    }

    @Test
    void aFolderOthersMayWriteWithholdsEveryChangeIncludingRemovals() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        gate.install(jar);
        FakeFramework.FakeBundle b = installed(jar);

        chmod(deploy, "rwxrwxrwx");
        await(() -> log.count("WARNING Not deploying from " + deploy + ": " + deploy + " is writable by every user") == 1,
                "the poll to notice the folder: " + log.lines());
        Files.delete(jar.toPath());
        gate.uninstall(jar);
        Thread.sleep(300);
        assertEquals(Bundle.ACTIVE, b.state, "a removal from an untrusted folder could be an attacker undeploying a policy");
        assertEquals(1, log.count("Not deploying from " + deploy), "said once: " + log.lines());

        chmod(deploy, "rwx------");
        await(() -> b.state == Bundle.UNINSTALLED, "the withheld removal to be applied once the folder is fixed");
        await(() -> log.count("INFO " + deploy + " is trusted again: the files it holds are deployed") == 1, log.lines().toString());
        // The bundle is uninstalled a moment before its line is logged: wait for the line, which must say it once.
        await(() -> log.count("INFO Undeployed a.jar: io.example.a 1.0.0") == 1, log.lines().toString());
        assertFalse(Files.exists(data.resolve("last-good").resolve(b.id + ".jar")), "its last good copy is gone too");
    }

    @Test
    void aWithheldFileThatIsDeletedIsDropped() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        chmod(jar.toPath(), "rw-rw-rw-");
        gate.install(jar);
        Files.delete(jar.toPath());
        Thread.sleep(300);
        jar("a.jar", "io.example.a", "1.0.0", false); // back, trusted: only FileInstall's next offer deploys it
        Thread.sleep(300);
        assertNull(framework.bundles.get(location(jar)), "the withheld install was forgotten when the file went");
    }

    @Test
    void aCorruptUpdateIsRefusedAndTheServingRevisionStays() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        gate.install(jar);
        byte[] good = Files.readAllBytes(jar.toPath());
        Files.write(jar.toPath(), Arrays.copyOf(good, good.length / 2));
        gate.update(jar);
        FakeFramework.FakeBundle b = installed(jar);
        assertEquals(0, b.updates, "the running bundle was not touched");
        assertEquals(Bundle.ACTIVE, b.state);
        assertEquals(1, log.count("WARNING Not updating a.jar: it is not a readable jar"), log.lines().toString());
        assertEquals(1, log.count("; io.example.a 1.0.0 keeps serving"), log.lines().toString());
    }

    @Test
    void anUpdateThatFailsToStartIsRolledBackToTheLastGoodJar() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        gate.install(jar);
        jar("a.jar", "io.example.a", "2.0.0", true);
        gate.update(jar);
        FakeFramework.FakeBundle b = installed(jar);
        assertEquals("1.0.0", b.version.toString(), "restored");
        assertEquals(Bundle.ACTIVE, b.state);
        assertEquals(2, b.updates, "the failed update, then the restore");
        assertEquals(1, log.count("WARNING Update of a.jar to io.example.a 2.0.0 failed (Unable to resolve"), log.lines().toString());
        assertEquals(1, log.count("INFO Restored a.jar: io.example.a 1.0.0 serves again"), log.lines().toString());
    }

    @Test
    void aGoodUpdateReplacesTheBundleAndBecomesTheLastGoodCopy() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        gate.install(jar);
        jar("a.jar", "io.example.a", "2.0.0", false);
        gate.update(jar);
        FakeFramework.FakeBundle b = installed(jar);
        assertEquals("2.0.0", b.version.toString());
        assertEquals(1, log.count("INFO Updated a.jar: io.example.a 1.0.0 -> io.example.a 2.0.0"), log.lines().toString());
        assertTrue(Arrays.equals(Files.readAllBytes(jar.toPath()), Files.readAllBytes(data.resolve("last-good").resolve(b.id + ".jar"))));
    }

    @Test
    void anInstallOfAFileAlreadyInstalledIsAnUpdate() throws Exception {
        File jar = jar("a.jar", "io.example.a", "1.0.0", false);
        gate.install(jar);
        gate.install(jar); // FileInstall restarted with the file still there
        assertEquals(1, framework.bundles.size());
        assertEquals(1, installed(jar).updates);
        assertEquals(1, log.count("INFO Updated a.jar: io.example.a 1.0.0 -> io.example.a 1.0.0"), log.lines().toString());
    }

    @Test
    void aCorruptNewJarIsNotInstalled() throws Exception {
        File jar = Files.writeString(deploy.resolve("b.jar"), "not a jar").toFile();
        gate.install(jar);
        assertTrue(framework.bundles.isEmpty());
        assertEquals(1, log.count("WARNING Not deploying b.jar: it is not a readable jar"), log.lines().toString());
    }

    // ------------------------------------------------------------------ helpers

    private FakeFramework.FakeBundle installed(File jar) {
        FakeFramework.FakeBundle b = framework.bundles.get(location(jar));
        assertNotNull(b, "installed at " + location(jar) + ": " + framework.bundles.keySet());
        return b;
    }

    /** FileInstall's (and the deployer's) location for a file: its normalized URI. */
    private static String location(File jar) {
        return jar.toURI().normalize().toString();
    }

    /** Writes a bundle jar into deploy/ (temporary name, then moved, as users are told to), mode rw-r--r--. */
    private File jar(String name, String symbolicName, String version, boolean failStart) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        if (failStart) {
            a.putValue("X-Fail-Start", "true");
        }
        Path tmp = deploy.resolve(name + ".part");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), m)) {
            out.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            out.write(version.getBytes());
        }
        chmod(tmp, "rw-r--r--");
        return Files.move(tmp, deploy.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE).toFile();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
