package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;

import io.portside.handler.api.StreamProtocol;
import io.portside.handler.api.StreamProtocolFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ProtocolConnections;

/**
 * Serves a stream server's connections with event-driven {@link StreamProtocol}s (Python's {@code asyncio.Protocol})
 * instead of blocking handlers: a fresh protocol per connection, called on readiness loops of this server's own; the
 * serving thread only accepts. Give it to a stream server as its request processor and close it after the server:
 *
 * <pre>{@code
 * try (ProtocolServing serving = new ProtocolServing(EchoProtocol::new);
 *      TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 9999), serving, true)) {
 *     server.serveForever(BaseServer.DEFAULT_POLL_INTERVAL);
 * }
 * }</pre>
 *
 * TCP and Unix stream servers; see docs/protocols.md.
 */
public final class ProtocolServing implements RequestProcessor<StreamRequest>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProtocolServing.class.getName());

    private final StreamProtocolFactory factory;
    private volatile ProtocolConnections connections; // made on the first connection, named after its server

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
        StreamProtocol protocol;
        try {
            protocol = factory.newProtocol();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Closed the " + accepted + ": its protocol could not be made: " + e, e);
            accepted.end();
            return;
        }
        try {
            connections(accepted.server()).serve(request.channel(), protocol, accepted::end);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Closed the " + accepted + ": " + e);
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
        if (connections == null) {
            connections = new ProtocolConnections("a closed server");
        }
        connections.close();
    }

    private ProtocolConnections connections(BaseServer<?> server) {
        ProtocolConnections c = connections;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (connections == null) {
                connections = new ProtocolConnections(String.valueOf(server.serverAddress()));
            }
            return connections;
        }
    }
}
