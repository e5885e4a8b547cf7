package io.portside.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A folder only this process's user may enter (0700), created beside a socket's final path: a socket bound in it can
 * be given its permissions before anyone else can reach it, then linked into place. Same folder's file system, so the
 * hard link works. Closing removes the temporary name and the folder.
 */
public final class PrivateBindFolder implements AutoCloseable {

    /** Linux's {@code sun_path} holds 108 bytes, the terminating NUL included. */
    static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ATTEMPTS = 20;

    private final Path folder;
    private Path socket;

    private PrivateBindFolder(Path folder) {
        this.folder = folder;
    }

    /** A new private folder in {@code target}'s folder, named {@code .bind-XXXXXX}. */
    public static PrivateBindFolder beside(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path candidate = parent.resolve(".bind-" + randomSuffix());
            try {
                // Created exclusively: a name someone else took (even a symbolic link) fails and the next is tried.
                return new PrivateBindFolder(Files.createDirectory(candidate, OWNER_ONLY));
            } catch (FileAlreadyExistsException taken) {
                // next name
            }
        }
        throw new IOException("cannot create a private folder to bind in, in " + parent);
    }

    /** Where to bind: {@code name} in the folder, or a one-letter name when that path would be too long for a socket. */
    public Path socketPath(String name) {
        Path named = folder.resolve(name);
        socket = named.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES ? named : folder.resolve("s");
        return socket;
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
            Files.deleteIfExists(folder);
        } catch (IOException leftBehind) {
            // An empty private folder (or one holding a dead socket) is all that is left; it admits nobody else.
        }
    }

    private static String randomSuffix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder s = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
