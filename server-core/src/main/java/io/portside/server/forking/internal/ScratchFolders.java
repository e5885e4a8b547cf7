package io.portside.server.forking.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where forking servers keep their scratch folders (worker control sockets, copies of handler classes): under
 * {@code <portside.home>/work/forking} in the host, else in {@code java.io.tmpdir}. A process that is killed cannot
 * remove its own, so each folder's name carries its process's pid and start time, and the first use in a process
 * deletes the folders of processes that are no longer alive.
 */
public final class ScratchFolders {

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");
    /** {@code portside-<kind>-<pid>-<start millis, base 36>-<random>}: short, for the Unix socket paths inside. */
    private static final Pattern NAME = Pattern.compile("portside-[a-z-]+-(\\d+)-([0-9a-z]+)-[0-9a-z]+");
    /** The longest Unix socket path (sun_path less its NUL) and the longest name a socket gets in a run folder. */
    private static final int UNIX_PATH_MAX = 107;
    private static final int SOCKET_NAME_MAX = "/w1234567890.sock".length();
    /** {@code portside-<kind>-<pid>-<start>-<random>} at its longest, for a kind of up to 5 letters. */
    private static final int NAME_MAX = "portside-kind5-4194304-zzzzzzzzz-zzzzzz".length();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Start instants read from /proc are rounded to clock ticks: equal within this. */
    private static final long START_TOLERANCE_MILLIS = 1000;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<Path> CLEANED = new HashSet<>(); // guarded by the class

    private ScratchFolders() {
    }

    /** The folder scratch folders go to now: {@code <portside.home>/work/forking}, or {@code java.io.tmpdir}. */
    public static Path root() {
        String home = System.getProperty("portside.home");
        return home != null ? Path.of(home, "work", "forking").toAbsolutePath().normalize() : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * A new owner-only folder {@code portside-<kind>-<pid>-<start>-<random>} under {@link #root()}; the first call for a
     * root in this process first deletes the folders there of processes that are gone.
     */
    public static Path create(String kind) throws IOException {
        return create(root(), kind);
    }

    /**
     * Like {@link #create}, for a folder that will hold Unix sockets: where the home's path is so long that a socket
     * path in it would pass the kernel's limit, the folder goes to {@code java.io.tmpdir} instead (and is cleaned there
     * the same way).
     */
    public static Path createForSockets(String kind) throws IOException {
        Path root = root();
        if (root.toString().getBytes(StandardCharsets.UTF_8).length + 1 + NAME_MAX + SOCKET_NAME_MAX > UNIX_PATH_MAX) {
            root = Path.of(System.getProperty("java.io.tmpdir"));
        }
        return create(root, kind);
    }

    static Path create(Path root, String kind) throws IOException {
        synchronized (ScratchFolders.class) {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root, ownerOnly());
            }
            if (CLEANED.add(root)) {
                deleteStale(root);
            }
        }
        ProcessHandle self = ProcessHandle.current();
        String prefix = "portside-" + kind + "-" + self.pid() + "-" + Long.toString(startMillis(self), 36) + "-";
        while (true) {
            Path dir = root.resolve(prefix + Integer.toString(RANDOM.nextInt(Integer.MAX_VALUE), 36));
            try {
                return Files.createDirectory(dir, ownerOnly());
            } catch (FileAlreadyExistsException taken) {
                // another random name
            }
        }
    }

    /** Deletes the scratch folders under {@code root} whose process is no longer alive; returns how many. */
    public static int deleteStale(Path root) {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "portside-*")) {
            for (Path p : entries) {
                if (stale(p.getFileName().toString()) && Files.isDirectory(p) && deleteTree(p)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot clean stale forking folders in {0}: {1}", root, String.valueOf(e));
        }
        if (deleted > 0) {
            LOG.log(Level.INFO, "Removed {0} forking folder(s) of processes that are gone from {1}", deleted, root);
        }
        return deleted;
    }

    /** Whether {@code name} is a scratch folder's and its process is gone. */
    private static boolean stale(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return false;
        }
        try {
            return !alive(Long.parseLong(m.group(1)), Long.parseLong(m.group(2), 36));
        } catch (NumberFormatException e) {
            return false; // not a name this class made
        }
    }

    /** Whether the process that made a folder still runs: its pid is alive and (where known) started then. */
    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        long now = startMillis(handle.get());
        return startMillis == 0 || now == 0 || Math.abs(now - startMillis) <= START_TOLERANCE_MILLIS;
    }

    /** The process's start time in epoch millis, or 0 where the OS does not tell. */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Deletes a folder and what it holds, quietly (what cannot be deleted now, e.g. another user's folder in a shared
     * {@code /tmp}, is tried again at the next start); whether it is gone.
     */
    public static boolean deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }
}
