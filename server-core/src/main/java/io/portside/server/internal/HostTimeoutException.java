package io.portside.server.internal;

import java.net.SocketTimeoutException;

/**
 * What a handler's blocked call throws when one of the host's time limits closed its connection: a
 * {@link SocketTimeoutException}, so handlers catch it as any timeout, whose message names the limit. It is how the host
 * tells its own limits from the handler's failures, in this process and, by its class name, in a forking worker's report.
 *
 * <p>It has no stack of its own: where the handler was blocked is its cause's stack, and a flood of timeouts wakes
 * thousands of handlers at once, each of which would otherwise walk its stack again.
 */
public final class HostTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    private final transient StreamTimeout limit;

    HostTimeoutException(StreamTimeout limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** The limit that closed the connection. */
    public StreamTimeout limit() {
        return limit;
    }

    /** True for this exception, or a forking worker's report of it. */
    public static boolean is(Throwable t, String reportedClass) {
        return t instanceof HostTimeoutException || HostTimeoutException.class.getName().equals(reportedClass);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
