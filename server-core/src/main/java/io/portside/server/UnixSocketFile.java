package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

import io.portside.server.internal.PrivateBindFolder;
import io.portside.server.internal.SocketPathKind;

/**
 * The socket file of a Unix server ({@link UnixStreamServer#socketFile()}, {@link UnixDatagramServer#socketFile()}): its
 * exact permissions and group, set before the server binds, and how it is created and removed.
 *
 * <p>The socket is bound in a private folder ({@link PrivateBindFolder}), given its group and exact permissions there,
 * and only then hard-linked to its path, so the path never shows a socket with looser permissions, and a bind never
 * replaces or removes anything: a link fails if anything at all is at the path. Closing removes the path only while it
 * is still the socket file this server created (same device and inode), never a file someone put there since.
 */
public final class UnixSocketFile {

    /** Owner and group may connect; other local users may not (0660). */
    public static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = Set.copyOf(PosixFilePermissions.fromString("rw-rw----"));

    private static final System.Logger LOG = System.getLogger(UnixSocketFile.class.getName());

    /** Binds a channel to an address (a stream or datagram server's own bind); returns the bound address. */
    @FunctionalInterface
    interface Binder {
        SocketAddress bind(SocketAddress where) throws IOException;
    }

    private record Created(Path path, Object fileKey) {
    }

    private volatile Set<PosixFilePermission> permissions = DEFAULT_PERMISSIONS;
    private volatile GroupPrincipal group;
    private volatile Created created;

    /** The file's permissions; {@code rw-rw----} (0660) unless set. */
    public Set<PosixFilePermission> permissions() {
        return permissions;
    }

    /**
     * Sets the file's exact permissions (the umask does not apply). Takes effect when the server binds: construct it
     * with {@code bindAndActivate=false} to use it.
     */
    public void setPermissions(Set<PosixFilePermission> permissions) {
        this.permissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
    }

    /** The group the file is given; {@code null} keeps the group it is created with. */
    public GroupPrincipal group() {
        return group;
    }

    /** Sets the file's group (the process must be allowed to chown to it). Takes effect when the server binds. */
    public void setGroup(GroupPrincipal group) {
        this.group = group;
    }

    /**
     * Binds through {@code binder} in a private folder, applies the group and permissions, then links the socket to
     * {@code target}'s path.
     *
     * @return {@code target}: the address the server is bound to
     * @throws BindException if anything is at {@code target}, naming what; it is left untouched
     */
    SocketAddress bind(SocketAddress target, Binder binder) throws IOException {
        Path path = ((UnixDomainSocketAddress) target).getPath().toAbsolutePath();
        SocketPathKind there = SocketPathKind.of(path);
        if (there != SocketPathKind.ABSENT) {
            throw occupied(path, there);
        }
        try (PrivateBindFolder folder = PrivateBindFolder.beside(path)) {
            Path inside = folder.socketPath(path.getFileName().toString());
            binder.bind(UnixDomainSocketAddress.of(inside));
            restrict(inside);
            Object key = SocketPathKind.fileKey(inside);
            try {
                Files.createLink(path, inside); // atomic, and never replaces what is there
            } catch (FileAlreadyExistsException e) {
                throw occupied(path, SocketPathKind.of(path));
            }
            created = new Created(path, key);
        }
        return target;
    }

    /** Removes the socket file this server created, if the path still is that file; anything else stays. */
    void remove() {
        Created c = created;
        created = null;
        if (c == null) {
            return;
        }
        try {
            SocketPathKind now = SocketPathKind.of(c.path());
            if (now == SocketPathKind.SOCKET && Objects.equals(SocketPathKind.fileKey(c.path()), c.fileKey())) {
                Files.delete(c.path());
            } else if (now != SocketPathKind.ABSENT) {
                LOG.log(Level.WARNING, "Left {0} in place: it is {1} that replaced the socket file this server created",
                        c.path(), now.description());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not remove {0}: {1}", c.path(), String.valueOf(e));
        }
    }

    /** In the private folder, so following links is safe: nobody else can put one there. */
    private void restrict(Path inside) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(inside, PosixFileAttributeView.class);
        if (view == null) {
            throw new IOException("cannot set permissions on " + inside + ": the file system has no POSIX permissions");
        }
        GroupPrincipal g = group;
        if (g != null) {
            try {
                view.setGroup(g);
            } catch (FileSystemException e) {
                throw new IOException("cannot give the socket file to group " + g.getName() + ": "
                        + (e.getReason() == null ? e.toString() : e.getReason()), e);
            }
        }
        view.setPermissions(permissions);
    }

    private static BindException occupied(Path path, SocketPathKind kind) {
        return new BindException(switch (kind) {
            case ABSENT -> "a file appeared at " + path + " while binding; it is left untouched";
            case SOCKET -> path + " is a socket file (in use, or left behind by a server that did not stop cleanly); "
                    + "it is left untouched";
            default -> path + " is " + kind.description() + ", not a socket; it is left untouched";
        });
    }
}
