package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of who may deploy: others may not write the folder, its home or the file; only we or root may own them. */
class DeployTrustTest {

    @TempDir
    Path home;
    Path deploy;
    Path jar;
    DeployTrust trust;
    int uid;

    @BeforeEach
    void setUp() throws IOException {
        deploy = Files.createDirectories(home.resolve("deploy"));
        jar = Files.writeString(deploy.resolve("a.jar"), "x");
        chmod(home, "rwx------");
        chmod(deploy, "rwx------");
        chmod(jar, "rw-r--r--");
        uid = TrustCheck.processUid(home);
        trust = new DeployTrust(new TrustCheck(uid), home);
    }

    @Test
    void ownerOnlyAndGroupWritableAreTrusted() throws IOException {
        assertNull(trust.file(jar));
        chmod(deploy, "rwxrwx---");
        chmod(jar, "rw-rw-r--");
        assertNull(trust.file(jar), "group-writable is allowed (a deployers' group)");
    }

    @Test
    void aFolderOthersMayWriteIsNotTrusted() throws IOException {
        chmod(deploy, "rwxrwxrwx");
        Finding f = trust.file(jar);
        assertEquals(Distrust.WRITABLE_BY_OTHERS, f.reason());
        assertEquals(deploy, f.path());
        assertEquals(deploy + " is writable by every user on this machine (rwxrwxrwx), so anyone could run code in this host; fix: chmod o-w "
                + deploy, f.describe());
    }

    @Test
    void aHomeOthersMayWriteMakesItsDeployFolderUntrusted() throws IOException {
        chmod(home, "rwxrwxrwx");
        assertEquals(home, trust.folder(deploy).path());
    }

    @Test
    void aFileOthersMayWriteIsNotTrusted() throws IOException {
        chmod(jar, "rw-rw-rw-");
        Finding f = trust.file(jar);
        assertEquals(Distrust.WRITABLE_BY_OTHERS, f.reason());
        assertEquals(jar, f.path());
        assertNull(trust.folder(deploy), "the folder itself is fine");
    }

    @Test
    void aFileOrFolderOwnedByAnotherUserIsNotTrusted() throws Exception {
        assumeTrue(uid == 0, "only root can give files to another user: skipped when not root");
        Files.setOwner(jar, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        Finding f = trust.file(jar);
        assertEquals(Distrust.OWNED_BY_ANOTHER_USER, f.reason());
        assertEquals(jar + " is owned by uid 65534, neither this host's user (uid 0) nor root, so that user could run code in this host;"
                + " fix: chown 0 " + jar + " (or remove it)", f.describe());

        Files.setOwner(deploy, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        assertEquals(deploy, trust.file(jar).path(), "the folder is reported first");
    }

    @Test
    void aFileOwnedByRootIsTrustedForAnyHostUser() throws IOException {
        assumeTrue(uid == 0, "needs files owned by root");
        assertNull(new DeployTrust(new TrustCheck(1234), home).file(jar));
    }

    @Test
    void aVanishedFileCannotBeChecked() {
        assertEquals(Distrust.UNCHECKABLE, trust.file(deploy.resolve("gone.jar")).reason());
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
