package io.portside.server.host.internal;

import java.io.IOException;

/**
 * What a {@link Throwable} that left handler code means for the host. Only {@link #HANDLER} is the handler's fault
 * and counts as an error; the others are the ordinary end of a connection and are not reported as failures.
 */
enum HandlerFailure {

    /** The host closed the connection under the handler: a drain deadline or the listener's close. */
    CLOSED_BY_HOST,
    /** The client reset the connection or went away while the handler wrote to it. */
    CLIENT_GONE,
    /** Anything else, {@link Error}s included: the handler failed. */
    HANDLER;

    static HandlerFailure classify(Throwable error, boolean closedByHost) {
        // ClosedChannelException and AsynchronousCloseException, what a close under a blocked read throws, are IOExceptions.
        if (closedByHost && (error instanceof IOException || error instanceof java.io.UncheckedIOException)) {
            return CLOSED_BY_HOST;
        }
        return clientGone(error) ? CLIENT_GONE : HANDLER;
    }

    /** ECONNRESET and EPIPE, as the JDK words them on Linux, anywhere in the cause chain. */
    private static boolean clientGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) { // SocketException included
                String m = String.valueOf(t.getMessage());
                if (m.contains("Connection reset") || m.contains("Broken pipe")) {
                    return true;
                }
            }
        }
        return false;
    }
}
