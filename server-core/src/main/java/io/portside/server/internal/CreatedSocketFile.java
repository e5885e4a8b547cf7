package io.portside.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The socket file a Unix server created by binding: removed when the server closes, so the path can be bound
 * again (CPython leaves it behind). A file the server failed to bind is never its own and is never removed.
 */
public final class CreatedSocketFile {

    private volatile Path created;

    /** Records that binding {@code path} succeeded. */
    public void created(Path path) {
        this.created = path;
    }

    /** Removes the file if this server created it; a failure leaves it for the next bind to report. */
    public void remove() {
        Path path = created;
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Left behind; the next bind reports it.
            }
        }
    }
}
