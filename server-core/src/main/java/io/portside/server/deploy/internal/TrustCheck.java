package io.portside.server.deploy.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether one file or folder may decide what code the host runs: it must not be writable by others, and must be owned
 * by the host's own user or by root. Group-writable is accepted (a deployers' group is how several operators share a
 * deploy folder). Links are followed: what counts is the file that would be read. On a file system without POSIX
 * owners and modes (Windows) there is nothing to check.
 */
final class TrustCheck {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final int OTHERS_WRITE = 0002;

    private final int hostUid;

    TrustCheck(int hostUid) {
        this.hostUid = hostUid;
    }

    /** The uid of this process: the owner of a file it creates in {@code scratch} (Java has no getuid). */
    static int processUid(Path scratch) throws IOException {
        if (!POSIX) {
            return -1;
        }
        Path probe = Files.createTempFile(scratch, ".uid-", ".probe");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Null when {@code path} is trusted, else why not. */
    Finding check(Path path) {
        if (!POSIX) {
            return null;
        }
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:mode,uid");
        } catch (IOException | UnsupportedOperationException e) {
            return new Finding(path, Distrust.UNCHECKABLE, "cannot be checked (" + e + ")", null);
        }
        int mode = (Integer) attributes.get("mode");
        int uid = (Integer) attributes.get("uid");
        if ((mode & OTHERS_WRITE) != 0) {
            return new Finding(path, Distrust.WRITABLE_BY_OTHERS, "is writable by every user on this machine (" + symbolic(mode)
                    + "), so anyone could run code in this host", "chmod o-w " + path);
        }
        if (uid != 0 && uid != hostUid) {
            return new Finding(path, Distrust.OWNED_BY_ANOTHER_USER, "is owned by uid " + uid + ", neither this host's user (uid "
                    + hostUid + ") nor root, so that user could run code in this host", "chown " + hostUid + " " + path + " (or remove it)");
        }
        return null;
    }

    /** {@code rwxr-x---} for the permission bits of {@code mode}. */
    static String symbolic(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder sb = new StringBuilder(9);
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? letters.charAt(i) : '-');
        }
        return sb.toString();
    }
}
