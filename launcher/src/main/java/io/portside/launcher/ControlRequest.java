package io.portside.launcher;

import java.util.Optional;

/**
 * The control socket's line protocol: one request line per connection, answered, then the connection closes. A human
 * can speak it too ({@code echo status | socat - UNIX-CONNECT:<home>/control/portside.sock}).
 */
enum ControlRequest {
    /** The status table, as {@code portside status} prints it. */
    STATUS("status"),
    /** The status as one line of JSON ({@link StatusJson}). */
    STATUS_JSON("status json"),
    /**
     * Stop the host as SIGTERM would (a second one, while it drains, as a second SIGTERM would). Answered with
     * {@code stopping <pid>}; the connection then stays open until the host process has ended.
     */
    STOP("stop");

    /** Longest request line the host reads, newline included. */
    static final int MAX_LINE = 64;
    /** The first word of an answer that reports a problem instead. */
    static final String ERROR = "error:";
    static final String STOPPING = "stopping";

    private final String line;

    ControlRequest(String line) {
        this.line = line;
    }

    String line() {
        return line;
    }

    static Optional<ControlRequest> parse(String line) {
        String l = line.strip();
        for (ControlRequest r : values()) {
            if (r.line.equals(l)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
