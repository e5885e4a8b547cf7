package io.portside.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * What is at a Unix socket path, seen with {@code lstat} (a symbolic link is never followed). Only {@link #SOCKET}
 * may ever be removed by a server; everything else is reported and left untouched.
 */
public enum SocketPathKind {
    ABSENT("nothing"),
    SOCKET("a socket file"),
    REGULAR_FILE("a regular file"),
    DIRECTORY("a directory"),
    SYMBOLIC_LINK("a symbolic link"),
    FIFO("a FIFO (named pipe)"),
    DEVICE("a device file"),
    /** A special file this platform does not tell apart: treated as not a socket, so never removed. */
    OTHER("a special file");

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final String description;

    SocketPathKind(String description) {
        this.description = description;
    }

    /** As in "PATH is a regular file". */
    public String description() {
        return description;
    }

    /** What is at {@code path} now, without following a symbolic link. */
    public static SocketPathKind of(Path path) throws IOException {
        try {
            return ofMode((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException absent) {
            return ABSENT;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return ofPosix(path);
        }
    }

    /**
     * The identity of the file at {@code path} (device and inode on Unix), without following a symbolic link;
     * {@code null} if there is none.
     */
    public static Object fileKey(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    static SocketPathKind ofMode(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFSOCK -> SOCKET;
            case S_IFREG -> REGULAR_FILE;
            case S_IFDIR -> DIRECTORY;
            case S_IFLNK -> SYMBOLIC_LINK;
            case S_IFIFO -> FIFO;
            case S_IFBLK, S_IFCHR -> DEVICE;
            default -> OTHER;
        };
    }

    /** Without the "unix" view a socket cannot be told from a FIFO: both are "other", and neither is ever removed. */
    private static SocketPathKind ofPosix(Path path) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return ABSENT;
        }
        if (attributes.isSymbolicLink()) {
            return SYMBOLIC_LINK;
        }
        if (attributes.isDirectory()) {
            return DIRECTORY;
        }
        return attributes.isRegularFile() ? REGULAR_FILE : OTHER;
    }
}
