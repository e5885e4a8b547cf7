package io.portside.server.host.internal;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

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
        if (closedByHost && (error instanceof IOException || error instanceof java.io.UncheckedIOException)) {
            return CLOSED_BY_HOST;
        }
        if (closedByHost && (error instanceof ClosedChannelException || error instanceof AsynchronousCloseException)) {
            return CLOSED_BY_HOST;
        }
        return clientGone(error) ? CLIENT_GONE : HANDLER;
    }

    /** ECONNRESET and EPIPE, as the JDK words them on Linux, anywhere in the cause chain. */
    private static boolean clientGone(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof IOException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("Connection reset") || m.contains("Broken pipe")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
