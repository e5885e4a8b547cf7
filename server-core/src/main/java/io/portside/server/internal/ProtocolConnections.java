package io.portside.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.portside.handler.api.StreamProtocol;

/**
 * The connections one server serves with {@link StreamProtocol}s, on readiness loops of its own (so a protocol that
 * blocks stalls only this server): starts each, ends each once, logs a protocol's failure in one line per connection
 * (at most {@value #LOG_BURST} per 10 s), and closes whatever is still open when the server goes.
 */
public final class ProtocolConnections implements AutoCloseable {

    private static final int LOG_BURST = 5;
    private static final System.Logger LOG = System.getLogger(ProtocolConnections.class.getName());

    private final String name;
    private final ReadinessLoops loops;
    private final Map<ProtocolChannel, Runnable> open = new ConcurrentHashMap<>();
    private final ThrottledLine failures = new ThrottledLine(LOG_BURST);
    private volatile boolean closed;

    /** {@code name} names the loops' threads and the log lines: the server's address, say. */
    public ProtocolConnections(String name) {
        this.name = name;
        this.loops = ReadinessLoops.own("portside-protocol-" + name + "-");
    }

    /**
     * Serves {@code channel} with {@code protocol} until either side closes; {@code end} then releases the connection
     * (closes the socket), exactly once. Returns at once: the connection lives on the loop.
     */
    public void serve(SocketChannel channel, StreamProtocol protocol, Runnable end) throws IOException {
        ProtocolChannel connection = new ProtocolChannel(channel, protocol, loops.next(), this::ended);
        open.put(connection, end);
        if (closed) { // close() may have missed it: the server is gone, the protocol never hears of this connection
            if (open.remove(connection) != null) {
                end.run();
            }
            return;
        }
        try {
            connection.start();
        } catch (IOException | RuntimeException e) {
            connection.shutdown("it could not be registered with a readiness loop: " + e);
        }
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Ends every open connection (each protocol is told {@code connectionLost}); new ones end at once. */
    @Override
    public void close() {
        closed = true;
        for (ProtocolChannel c : new ArrayList<>(open.keySet())) {
            c.shutdown("the server closed");
        }
    }

    private void ended(ProtocolChannel connection, Throwable failure, String why) {
        Runnable end = open.remove(connection);
        if (end != null) {
            end.run();
        }
        if ((failure != null || why != null) && failures.due(System.nanoTime())) {
            String line = failure != null
                    ? "The protocol of " + name + " failed on the " + connection + " and the connection was closed: " + failure
                    : "Closed the " + connection + " on " + name + ": " + why;
            LOG.log(Level.WARNING, line + failures.leftOut("connections"), failure);
        }
    }
}
