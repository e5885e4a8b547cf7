package io.portside.server.forking.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The scratch folder of one supervisor's worker control sockets: made on the first launch, deleted once all are gone. */
final class RunFolder {

    private Path path; // guarded by this

    /** The folder, made now if there is none. */
    synchronized Path path() throws IOException {
        if (path == null) {
            path = ScratchFolders.createForSockets("run");
        }
        return path;
    }

    /** Deletes the folder and its sockets, if there is one; a later {@link #path()} makes a new one. */
    synchronized void delete() {
        if (path == null) {
            return;
        }
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp directory left behind
        }
        path = null;
    }
}
