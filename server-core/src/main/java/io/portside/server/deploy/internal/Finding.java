package io.portside.server.deploy.internal;

import java.nio.file.Path;

/**
 * One path found untrusted: which, why, and the command that fixes it; {@link #describe()} is the one line the
 * operator reads.
 */
record Finding(Path path, Distrust reason, String detail, String fix) {

    /** E.g. {@code /srv/run/deploy is writable by every user (rwxrwxrwx); fix: chmod o-w /srv/run/deploy}. */
    String describe() {
        return path + " " + detail + (fix == null ? "" : "; fix: " + fix);
    }
}
