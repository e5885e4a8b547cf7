package io.portside.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One host per home. A second host on the same home would wipe the first one's bundle cache at start and take over its
 * control socket; so the host holds a lock on {@code <home>/control/host.lock} for its life and refuses to start when
 * another holds it. The operating system drops the lock when the process ends however it ends, so a crashed host leaves
 * nothing that blocks the next start (its stale socket file is replaced).
 */
final class HostLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws {@link HostRunningException} naming the host that holds it. */
    static HostLock acquire(Path home) throws IOException {
        Path dir = ControlFiles.dir(home);
        HomeFolders.createOwnerOnly(dir);
        HomeFolders.restrict(dir); // also when it existed: the socket inside must be reachable by the host's user alone
        FileChannel channel = FileChannel.open(ControlFiles.lock(home), new java.util.HashSet<>(java.util.List.of(
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)), ownerOnly());
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new HostRunningException("another Portside host" + (holder.isEmpty() ? "" : " (pid " + holder + ")") + " runs on "
                    + home + "; stop it first (portside stop --home " + home + ")");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new HostLock(channel, lock);
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another live host holds the home; the message is the one line the operator reads. */
    static final class HostRunningException extends IOException {
        private static final long serialVersionUID = 1L;

        HostRunningException(String message) {
            super(message);
        }
    }
}
