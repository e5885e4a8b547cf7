package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One path's check, on real files: the mode bits and the owner decide; group-writable passes. */
class TrustCheckTest {

    @TempDir
    Path dir;
    Path file;
    int uid;

    @BeforeEach
    void setUp() throws IOException {
        file = Files.writeString(dir.resolve("a.jar"), "x");
        uid = TrustCheck.processUid(dir);
    }

    @Test
    void processUidIsTheOwnerOfAFileThisProcessCreatesAndLeavesNoProbeBehind() throws IOException {
        assertEquals(Files.getAttribute(file, "unix:uid"), uid);
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "only a.jar: the probe file is deleted");
        }
    }

    @Test
    void ownerAndGroupWritableFilesOfThisUserPass() throws IOException {
        for (String mode : new String[] {"rw-------", "rw-r--r--", "rw-rw-r--", "rwxrwx---"}) {
            chmod(file, mode);
            assertNull(new TrustCheck(uid).check(file), mode);
        }
    }

    @Test
    void writableByOthersFailsWithItsModeAndTheChmodThatFixesIt() throws IOException {
        chmod(file, "rw-rw-rw-");
        Finding f = new TrustCheck(uid).check(file);
        assertEquals(Distrust.WRITABLE_BY_OTHERS, f.reason());
        assertEquals(file, f.path());
        assertEquals("chmod o-w " + file, f.fix());
        assertTrue(f.detail().contains("(rw-rw-rw-)"), f.detail());
    }

    @Test
    void writableByOthersIsReportedBeforeAForeignOwner() throws IOException {
        chmod(file, "rw-rw-rw-");
        int someoneElse = uid == 0 ? 4242 : uid + 1;
        // For a host of another user this file is also foreign (unless root owns it): the mode is what is said.
        assertEquals(Distrust.WRITABLE_BY_OTHERS, new TrustCheck(someoneElse).check(file).reason());
    }

    @Test
    void aFileOfThisProcessIsForeignToAHostRunningAsAnotherUser() throws IOException {
        assumeTrue(uid != 0, "a root-owned file passes for every host user");
        Finding f = new TrustCheck(uid + 1).check(file);
        assertEquals(Distrust.OWNED_BY_ANOTHER_USER, f.reason());
        assertEquals("chown " + (uid + 1) + " " + file + " (or remove it)", f.fix());
        assertTrue(f.detail().startsWith("is owned by uid " + uid + ", neither this host's user (uid " + (uid + 1) + ") nor root"), f.detail());
    }

    @Test
    void aRootOwnedFilePassesForAnyHostUser() {
        assumeTrue(uid == 0, "needs a file owned by root");
        assertNull(new TrustCheck(4242).check(file));
    }

    @Test
    void aHostWithNoKnownUserTrustsOnlyRoot() {
        // DeployGate.hostUid fails closed with -2 when it cannot tell the host's user.
        Finding f = new TrustCheck(-2).check(file);
        if (uid == 0) {
            assertNull(f);
        } else {
            assertEquals(Distrust.OWNED_BY_ANOTHER_USER, f.reason());
        }
    }

    @Test
    void aMissingPathCannotBeCheckedAndHasNoFix() {
        Finding f = new TrustCheck(uid).check(dir.resolve("gone.jar"));
        assertEquals(Distrust.UNCHECKABLE, f.reason());
        assertNull(f.fix());
        assertTrue(f.detail().startsWith("cannot be checked ("), f.detail());
    }

    @Test
    void linksAreFollowedToTheFileThatWouldBeRead() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), file);
        chmod(file, "rw-rw-rw-");
        assertEquals(Distrust.WRITABLE_BY_OTHERS, new TrustCheck(uid).check(link).reason());
    }

    @Test
    void symbolicModesSpellEveryPermissionBit() {
        assertEquals("rwxrwxrwx", TrustCheck.symbolic(0777));
        assertEquals("rw-r-----", TrustCheck.symbolic(0640));
        assertEquals("---------", TrustCheck.symbolic(0));
        assertEquals("rwxr-xr-x", TrustCheck.symbolic(0100755), "file type bits are ignored");
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
