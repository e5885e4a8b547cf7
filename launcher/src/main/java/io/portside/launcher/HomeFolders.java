package io.portside.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The folders the host keeps in its home. Every folder it creates is owner-only ({@code rwx------}) whatever the
 * umask: the mode is asked for at creation and set again afterwards. A home or deploy folder that already exists is
 * left as the operator made it, but refused when others may write it or another user owns it (anyone who can write
 * there can run code in the host).
 */
final class HomeFolders {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** What the host creates under its home besides {@code deploy/}; {@code felix-cache} is recreated by Felix at init. */
    static final List<String> CREATED = List.of("sockets", "files", "work", "felix-cache");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private HomeFolders() {
    }

    /** Creates the home and its folders owner-only; throws {@link UnsafeHomeException} for an untrusted home or deploy folder. */
    static void prepare(Path home) throws IOException {
        createOwnerOnly(home);
        int uid = processUid(home);
        requireTrusted(home, uid);
        Path deploy = home.resolve("deploy");
        if (Files.exists(deploy)) {
            requireTrusted(deploy, uid);
        }
        for (String name : CREATED) {
            createOwnerOnly(home.resolve(name));
        }
    }

    /** Creates {@code dir} (and any missing parent) owner-only; an existing folder is left as it is. */
    static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
            createOwnerOnly(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException raced) {
            if (Files.isDirectory(dir)) {
                return; // someone else made it at the same moment: it is checked like any pre-existing folder
            }
            throw raced;
        }
        restrict(dir);
    }

    /** Sets {@code dir} (created by this host) to owner-only. */
    static void restrict(Path dir) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    private static void requireTrusted(Path dir, int uid) throws IOException {
        if (!POSIX) {
            return;
        }
        Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid");
        int mode = (Integer) a.get("mode");
        int owner = (Integer) a.get("uid");
        if ((mode & 0002) != 0) {
            throw new UnsafeHomeException(dir + " is writable by every user on this machine ("
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)) + "), so anyone could run code in this host; fix: chmod o-w " + dir);
        }
        if (owner != 0 && owner != uid) {
            throw new UnsafeHomeException(dir + " is owned by uid " + owner + ", neither this host's user (uid " + uid
                    + ") nor root, so that user could run code in this host; fix: chown " + uid + " " + dir);
        }
    }

    /** The uid of this process: the owner of a file it creates (Java has no getuid). */
    private static int processUid(Path dir) throws IOException {
        if (!POSIX) {
            return -1;
        }
        Path probe = Files.createTempFile(dir, ".uid-", ".probe");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The home or its deploy folder may not be trusted; the message is the one line the operator reads. */
    static final class UnsafeHomeException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsafeHomeException(String message) {
            super(message);
        }
    }
}
