package io.portside.server.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the watched files look like now: per file its modification time (to the file system's precision), size and identity (device and inode on Unix),
 * following symbolic links. A copy-then-rename changes the inode even when time and size match; a Kubernetes secret,
 * swapped by re-pointing a symbolic link, changes the target's. Reading attributes costs one stat per file, so a check
 * every second is nothing.
 */
record FileStamps(List<Stamp> stamps) {

    /** One file: all null when it is missing or cannot be read (a change too). */
    record Stamp(Path file, Object key, FileTime modified, long size) {
    }

    static FileStamps of(List<Path> files) {
        List<Stamp> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            stamps.add(stamp(file));
        }
        return new FileStamps(List.copyOf(stamps));
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file, a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException | SecurityException e) {
            return new Stamp(file, null, null, -1);
        }
    }
}
