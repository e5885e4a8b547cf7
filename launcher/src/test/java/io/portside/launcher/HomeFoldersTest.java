package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folders a host creates are owner-only whatever the umask; an untrusted home or deploy folder is refused. */
class HomeFoldersTest {

    @TempDir
    Path parent;

    @Test
    void aNewHomeAndEverythingTheHostCreatesInItAreOwnerOnly() throws IOException {
        Path home = parent.resolve("a/b/home");
        HomeFolders.prepare(home);
        DeployFolder.prepare(home.resolve("deploy"), false);
        for (Path p : List.of(parent.resolve("a"), parent.resolve("a/b"), home, home.resolve("deploy"), home.resolve("sockets"),
                home.resolve("files"), home.resolve("work"), home.resolve("felix-cache"))) {
            assertEquals("rwx------", mode(p), p.toString());
        }
    }

    @Test
    void anExistingFolderIsLeftAsTheOperatorMadeIt() throws IOException {
        Path home = Files.createDirectories(parent.resolve("home"));
        Path files = Files.createDirectories(home.resolve("files"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
        HomeFolders.prepare(home);
        assertEquals("rwxr-x---", mode(home));
        assertEquals("rwxr-xr-x", mode(files));
    }

    @Test
    void aHomeOrDeployFolderOthersMayWriteIsRefused() throws IOException {
        Path home = Files.createDirectories(parent.resolve("home"));
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(HomeFolders.UnsafeHomeException.class, () -> HomeFolders.prepare(home));
        assertEquals(deploy + " is writable by every user on this machine (rwxrwxrwx), so anyone could run code in this host; fix: chmod o-w "
                + deploy, e.getMessage());

        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwx---"));
        HomeFolders.prepare(home); // group-writable is allowed
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        e = assertThrows(HomeFolders.UnsafeHomeException.class, () -> HomeFolders.prepare(home));
        assertTrue(e.getMessage().startsWith(home + " is writable by every user"), e.getMessage());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
