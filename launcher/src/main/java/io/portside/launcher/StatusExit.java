package io.portside.launcher;

/**
 * The exit statuses of {@code portside status}, {@code top} and {@code stop}, chosen as the LSB init scripts' status
 * codes are (0 running, 3 not running, 4 unknown), so health checks written for those read them the same way.
 */
enum StatusExit {
    /** status, top: the host runs and no listener has failed (listeners waiting, as in a swap's gap, count as fine); stop: it stopped. */
    OK(0),
    /** The host runs, but at least one listener is {@code FAILED}. */
    LISTENER_FAILED(1),
    /** The command line was wrong. */
    USAGE(2),
    /** No host runs on that home (no control socket, or nobody answers on it). */
    NOT_RUNNING(3),
    /** A host seems to run but did not answer as expected (timed out, or an answer that does not parse). */
    UNKNOWN(4);

    private final int code;

    StatusExit(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
