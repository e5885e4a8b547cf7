package io.portside.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * This process's descriptors and threads against their limits. Descriptors: in use and {@code RLIMIT_NOFILE}, as the
 * JDK's {@link UnixOperatingSystemMXBean} reads them ({@code /proc/self/fd} on Linux). Threads: live platform threads
 * (virtual threads use none of their own), against the lower of {@code RLIMIT_NPROC} (which counts every thread of the
 * user, so it is an upper bound for this host) and the kernel's {@code threads-max}.
 */
final class HostFigures {

    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path THREADS_MAX = Path.of("/proc/sys/kernel/threads-max");

    private HostFigures() {
    }

    static HostStatus.Figures now() {
        long open = -1;
        long limit = -1;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            open = unix.getOpenFileDescriptorCount();
            limit = unix.getMaxFileDescriptorCount();
        }
        return new HostStatus.Figures(open, limit, ManagementFactory.getThreadMXBean().getThreadCount(), threadLimit());
    }

    /** The thread limit, or -1 when neither limit can be read or both are unlimited. */
    static long threadLimit() {
        long nproc = softLimit("Max processes");
        long kernel = readLong(THREADS_MAX);
        if (nproc < 0) {
            return kernel;
        }
        return kernel < 0 ? nproc : Math.min(nproc, kernel);
    }

    /** The soft value of a {@code /proc/self/limits} row, or -1 for unlimited or unreadable. */
    static long softLimit(String row) {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith(row)) {
                    String soft = line.substring(row.length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected layout: unknown
        }
        return -1;
    }

    private static long readLong(Path file) {
        try {
            // readAllLines, not readString: on this JDK readString returned "1" for threads-max (procfs files have size 0)
            return Long.parseLong(Files.readAllLines(file).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
