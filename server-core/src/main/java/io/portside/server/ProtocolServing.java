package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;

import io.portside.handler.api.StreamProtocolFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ProtocolConnections;
import io.portside.server.internal.ProtocolEnd;
import io.portside.server.internal.ProtocolHandle;
import io.portside.server.internal.StreamLimits;
import io.portside.server.internal.ThrottledLine;

/**
 * Serves a stream server's connections with event-driven {@link io.portside.handler.api.StreamProtocol}s (Python's {@code asyncio.Protocol})
 * instead of blocking handlers: a fresh protocol per connection, called on readiness loops of this server's own; the
 * serving thread only accepts. Give it to a TCP or Unix stream server as its request processor, and close it after the
 * server:
 *
 * <pre>{@code
 * try (ProtocolServing serving = new ProtocolServing(EchoProtocol::new);
 *      TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 9999), serving, true)) {
 *     server.serveForever(BaseServer.DEFAULT_POLL_INTERVAL);
 * }
 * }</pre>
 *
 * A protocol that fails, and a connection closed for writing past the transport's limit, are logged (at most five lines
 * per 10 s). See docs/protocols.md.
 */
public final class ProtocolServing implements RequestProcessor<StreamRequest>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProtocolServing.class.getName());

    private final StreamProtocolFactory factory;
    private final ThrottledLine failures = new ThrottledLine(5);
    private volatile ProtocolConnections connections; // made with the first connection, named after its server
    private boolean closed; // guarded by this

    public ProtocolServing(StreamProtocolFactory factory) {
        this.factory = java.util.Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void process(AcceptedRequest<StreamRequest> accepted) {
        if (!(accepted.request() instanceof ChannelStreamRequest request)) {
            LOG.log(Level.ERROR, "Closed the " + accepted + ": protocols serve plain TCP and Unix stream connections only");
            accepted.end();
            return;
        }
        try {
            connections(accepted.server()).serve(request.channel(), null, factory::newProtocol, StreamLimits.NONE, System.nanoTime(),
                    (c, how, failure) -> ended(accepted, how, failure), handle -> { });
        } catch (IOException | RuntimeException e) {
            log(accepted, e.toString(), null);
            accepted.end();
        }
    }

    /** Connections open now. */
    public int openConnections() {
        ProtocolConnections c = connections;
        return c == null ? 0 : c.openConnections();
    }

    /** Closes every open connection (each protocol is told {@code connectionLost(null)}); later ones are closed at once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (connections != null) {
            connections.close();
        }
    }

    private void ended(AcceptedRequest<StreamRequest> accepted, ProtocolEnd how, Throwable failure) {
        accepted.end(); // the socket is closed already; this ends the request as the server knows it
        if (how == ProtocolEnd.PROTOCOL_FAILED) {
            log(accepted, "its protocol failed: " + failure, failure);
        } else if (how == ProtocolEnd.WRITE_LIMIT) {
            log(accepted, "its protocol had more than " + io.portside.handler.api.ProtocolTransport.WRITE_LIMIT
                    + " bytes waiting for a client that does not read", null);
        }
    }

    private void log(AcceptedRequest<StreamRequest> accepted, String why, Throwable failure) {
        if (failures.due(System.nanoTime())) {
            LOG.log(Level.WARNING, "Closed the " + accepted + ": " + why + failures.leftOut("connections"), failure);
        }
    }

    private ProtocolConnections connections(BaseServer<?> server) throws IOException {
        ProtocolConnections c = connections;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the protocol serving is closed");
            }
            if (connections == null) {
                connections = new ProtocolConnections(String.valueOf(server.serverAddress()));
            }
            return connections;
        }
    }
}
