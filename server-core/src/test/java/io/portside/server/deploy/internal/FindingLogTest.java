package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each untrusted path is said once, again only for a new reason, and once more when it is fixed. */
class FindingLogTest {

    @TempDir
    Path home;
    Path deploy;
    Path jar;
    DeployTrust trust;
    DeployLog log;
    final FindingLog findings = new FindingLog();

    @BeforeEach
    void setUp() throws IOException {
        deploy = Files.createDirectories(home.resolve("deploy"));
        jar = Files.writeString(deploy.resolve("a.jar"), "x");
        chmod(home, "rwx------");
        chmod(deploy, "rwx------");
        chmod(jar, "rw-r--r--");
        trust = new DeployTrust(new TrustCheck(TrustCheck.processUid(home)), home);
        log = new DeployLog(home);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void anUntrustedFileIsOneWarningHoweverOftenItIsOffered() throws IOException {
        chmod(jar, "rw-rw-rw-");
        for (int poll = 0; poll < 5; poll++) {
            findings.recheck(trust);
            findings.refused("a.jar", trust.file(jar));
        }
        assertEquals(List.of("WARNING Not deploying a.jar: " + trust.file(jar).describe()), log.lines());
    }

    @Test
    void aFixedFileIsSaidOnceAndARecurrenceIsSaidAgain() throws IOException {
        chmod(jar, "rw-rw-rw-");
        findings.refused("a.jar", trust.file(jar));
        chmod(jar, "rw-r--r--");
        findings.recheck(trust);
        findings.recheck(trust);
        assertEquals(1, log.count("INFO " + jar + " is trusted again: deploying it"), log.lines().toString());

        chmod(jar, "rw-rw-rw-");
        findings.refused("a.jar", trust.file(jar));
        assertEquals(2, log.count("WARNING Not deploying a.jar"), log.lines().toString());
    }

    @Test
    void aFixedFolderSaysItsFilesAreDeployed() throws IOException {
        chmod(deploy, "rwxrwxrwx");
        findings.refused("from " + deploy, trust.folder(deploy));
        chmod(deploy, "rwx------");
        findings.recheck(trust);
        assertEquals(List.of("WARNING Not deploying from " + deploy + ": " + deploy
                + " is writable by every user on this machine (rwxrwxrwx), so anyone could run code in this host; fix: chmod o-w " + deploy,
                "INFO " + deploy + " is trusted again: the files it holds are deployed"), log.lines());
    }

    @Test
    void aPathThatIsGoneIsForgottenQuietly() throws IOException {
        chmod(jar, "rw-rw-rw-");
        findings.refused("a.jar", trust.file(jar));
        Files.delete(jar);
        findings.recheck(trust);
        assertEquals(1, log.lines().size(), "no 'trusted again' for a file that is gone: " + log.lines());

        Files.writeString(jar, "back, still writable by others");
        chmod(jar, "rw-rw-rw-");
        findings.refused("a.jar", trust.file(jar));
        assertEquals(2, log.count("WARNING Not deploying a.jar"), "forgotten, so said again: " + log.lines());
    }

    @Test
    void aNewReasonForTheSamePathIsSaidAgain() throws IOException {
        chmod(jar, "rw-rw-rw-");
        findings.refused("a.jar", trust.file(jar));
        findings.refused("a.jar", new Finding(jar, Distrust.UNCHECKABLE, "cannot be checked (test)", null));
        findings.refused("a.jar", new Finding(jar, Distrust.UNCHECKABLE, "cannot be checked (test)", null));
        assertEquals(2, log.lines().size(), log.lines().toString());
        assertEquals(1, log.count("WARNING Not deploying a.jar: " + jar + " cannot be checked (test)"), log.lines().toString());
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
