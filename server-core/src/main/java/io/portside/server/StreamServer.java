package io.portside.server;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ReuseOptions;

/**
 * What TCP and Unix stream servers share (Python's {@code TCPServer} apart from its address family):
 * a listening {@link ServerSocketChannel}, accept, and the half-close that lets the client read EOF.
 */
public abstract class StreamServer extends BaseServer<StreamRequest> {

    /** Python's {@code request_queue_size}: the listen backlog. */
    protected int requestQueueSize = 5;
    /** Python's {@code allow_reuse_address}: SO_REUSEADDR before bind (TCP only). */
    protected boolean allowReuseAddress;
    /** Python's {@code allow_reuse_port}: SO_REUSEPORT before bind (TCP only, as in CPython main). */
    protected boolean allowReusePort;

    /** The listening socket (Python's {@code self.socket}). */
    protected final ServerSocketChannel socket;
    private final ProtocolFamily family;

    protected StreamServer(SocketAddress address, RequestHandlerFactory<StreamRequest> handlerFactory,
            ConcurrencyModel concurrency, ProtocolFamily family) throws IOException {
        this(address, Routing.hooks(handlerFactory, concurrency), family);
    }

    /** A server of {@code family} whose requests go where {@code routing} says. */
    protected StreamServer(SocketAddress address, Routing<StreamRequest> routing, ProtocolFamily family) throws IOException {
        super(address, routing);
        this.family = family;
        this.socket = ServerSocketChannel.open(family);
    }

    @Override
    public ServerSocketChannel channel() {
        return socket;
    }

    /**
     * Sets the socket options and binds. The JDK binds and listens in one call, so the backlog
     * ({@link #requestQueueSize}) is applied here and {@link #serverActivate()} only finishes activation.
     */
    @Override
    public void serverBind() throws IOException {
        ReuseOptions.apply(socket, family, allowReuseAddress, allowReusePort);
        serverAddress = bindChannel(serverAddress);
    }

    /** Binds and listens with the backlog; returns the bound address. Unix servers bind in a private folder first. */
    SocketAddress bindChannel(SocketAddress address) throws IOException {
        socket.bind(address, requestQueueSize);
        return socket.getLocalAddress();
    }

    @Override
    protected IncomingRequest<StreamRequest> getRequest() throws IOException {
        SocketChannel connection = socket.accept();
        if (connection == null) {
            return null;
        }
        try {
            connection.configureBlocking(true);
            ChannelStreamRequest request = new ChannelStreamRequest(connection, transport());
            return new IncomingRequest<>(request, request.remoteAddress());
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Half-closes (the client reads EOF even if something still holds the connection), then closes. */
    @Override
    protected void shutdownRequest(StreamRequest request) {
        try {
            request.shutdownOutput();
        } catch (IOException ignored) {
            // Already gone (ENOTCONN on some platforms): closing is all that is left.
        }
        closeRequest(request);
    }

    @Override
    protected void closeRequest(StreamRequest request) {
        try {
            request.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }

    @Override
    protected int readyOps() {
        return SelectionKey.OP_ACCEPT;
    }

    @Override
    protected void closeChannel() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a listening socket has nothing to report.
        }
    }

    public void setRequestQueueSize(int requestQueueSize) {
        this.requestQueueSize = requestQueueSize;
    }

    public void setAllowReuseAddress(boolean allowReuseAddress) {
        this.allowReuseAddress = allowReuseAddress;
    }

    public void setAllowReusePort(boolean allowReusePort) {
        this.allowReusePort = allowReusePort;
    }
}
