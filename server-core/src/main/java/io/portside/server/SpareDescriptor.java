package io.portside.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The spare-descriptor technique (libuv's {@code uv__emfile_trick}, after Marc Lehmann's libev notes): when accept
 * fails because the process is out of descriptors, waiting does not help the clients already in the backlog, which
 * hang until they time out, and a full backlog makes the kernel drop new handshakes. So the process keeps one
 * descriptor open for nothing; out of descriptors, it closes it, accepts the pending connections one by one into
 * that freed slot and closes each at once (the client reads EOF), then takes the spare again. One per process: the
 * descriptor limit is the process's.
 */
final class SpareDescriptor {

    /**
     * The whole message of the IOException the JDK's accept throws for EMFILE and ENFILE (glibc's strerror; Java has
     * no errno). Matched exactly: an exception that only mentions it was not thrown by accept.
     */
    private static final String EMFILE = "Too many open files";
    private static final String ENFILE = "Too many open files in system";
    /** Connections closed per failure at most, so one flood cannot keep a serve loop here. */
    private static final int MAX_SHED = 256;

    static final SpareDescriptor PROCESS = new SpareDescriptor(Path.of("/dev/null"));

    private final Path file;
    private FileChannel spare; // guarded by this

    SpareDescriptor(Path file) {
        this.file = file;
        reopen();
    }

    /**
     * True when {@code error} says the process (EMFILE) or the system (ENFILE) has no descriptor left. The JDK words it
     * with the C library's strerror, which a host running under another language translates: for any other message, a
     * descriptor that cannot be opened right now says the same, whatever the wording.
     */
    static boolean isExhaustion(IOException error) {
        String m = error.getMessage();
        if (EMFILE.equals(m) || ENFILE.equals(m)) {
            return true;
        }
        if (error instanceof java.net.SocketException) {
            return false; // the connection's own trouble, not the process's
        }
        try (FileChannel probe = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ)) {
            return false;
        } catch (IOException | UnsupportedOperationException noneLeft) {
            return true;
        }
    }

    /**
     * Frees the spare, accepts and closes what is pending on {@code listening}, takes the spare back. Returns how
     * many connections it closed: 0 when it had no spare to free, or another thread took the freed slot first.
     */
    synchronized int shed(ServerSocketChannel listening) {
        if (listening.isBlocking() || spare == null && !reopen()) {
            return 0;
        }
        closeSpare();
        int closed = 0;
        try {
            for (SocketChannel c; closed < MAX_SHED && (c = listening.accept()) != null; closed++) {
                c.close(); // no half-close first: nothing was sent, so the client reads EOF either way
            }
        } catch (IOException e) {
            // out again (something else took the slot) or the listener closed: what was closed is closed
        } finally {
            reopen();
        }
        return closed;
    }

    /** Whether the spare is held now (a test's view). */
    synchronized boolean held() {
        return spare != null;
    }

    private boolean reopen() {
        try {
            spare = FileChannel.open(file, StandardOpenOption.READ);
            return true;
        } catch (IOException | UnsupportedOperationException e) { // still out: the next failure tries again
            spare = null;
            return false;
        }
    }

    private void closeSpare() {
        try {
            spare.close();
        } catch (IOException ignored) {
            // a file opened for reading has nothing to flush
        }
        spare = null;
    }
}
