package io.portside.launcher;

import java.nio.file.Path;

/**
 * Where a host keeps its control socket and its lock: {@code <home>/control/}, a folder the host makes owner-only, so
 * that only the host's user can reach the socket whatever the home's own mode is.
 */
final class ControlFiles {

    private ControlFiles() {
    }

    static Path dir(Path home) {
        return home.resolve("control");
    }

    /** The Unix socket {@code portside status}, {@code top} and {@code stop} talk to; there only while the host runs. */
    static Path socket(Path home) {
        return dir(home).resolve("portside.sock");
    }

    /** Locked by the running host for its whole life, with its pid inside: one host per home. */
    static Path lock(Path home) {
        return dir(home).resolve("host.lock");
    }
}
