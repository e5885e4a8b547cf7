package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.ChannelReplySocket;
import io.portside.server.internal.DatagramChannels;
import io.portside.server.internal.ReceivedDatagram;
import io.portside.server.internal.ReuseOptions;

/**
 * What UDP and Unix datagram servers share (Python's {@code UDPServer} apart from its address family):
 * one unconnected socket that receives every request and sends every reply.
 *
 * <p>A request is one datagram: its bytes (at most {@link #maxPacketSize}; the tail of a longer datagram is
 * silently discarded, and the next datagram is unaffected) plus the server's socket to reply from, so the
 * reply comes from the socket the client sent to (a Unix one names itself by the private name it was bound under:
 * docs/semantics.md, case 19). Zero-length UDP datagrams are dispatched like any other
 * (on Unix datagram sockets junixsocket neither reports nor sends them).
 * Nothing is closed per request: the socket is shared.
 *
 * <p>The serving thread receives into one buffer of {@code maxPacketSize} bytes that it reuses, and
 * copies each datagram once, into the request.
 */
public abstract class DatagramServer extends BaseServer<DatagramRequest> {

    private static final System.Logger LOG = System.getLogger(DatagramServer.class.getName());

    /** Python's {@code max_packet_size}: the largest datagram received whole. */
    protected volatile int maxPacketSize = 8192;
    /** Python's {@code allow_reuse_address}: SO_REUSEADDR before bind (IP only). */
    protected boolean allowReuseAddress;
    /** Python's {@code allow_reuse_port}: SO_REUSEPORT before bind (IP only, as in CPython main). */
    protected boolean allowReusePort;

    /** The server's socket (Python's {@code self.socket}). */
    protected final DatagramChannel socket;
    private final ProtocolFamily family;
    private final Object receiving = new Object();
    private final AtomicBoolean unboundClientSeen = new AtomicBoolean();
    private ByteBuffer receiveBuffer;      // guarded by receiving
    private volatile ChannelReplySocket replySocket;

    protected DatagramServer(SocketAddress address, RequestHandlerFactory<DatagramRequest> handlerFactory,
            ConcurrencyModel concurrency, ProtocolFamily family) throws IOException {
        this(address, Routing.hooks(handlerFactory, concurrency), family);
    }

    /** A server of {@code family} whose requests go where {@code routing} says. */
    protected DatagramServer(SocketAddress address, Routing<DatagramRequest> routing, ProtocolFamily family) throws IOException {
        super(address, routing);
        this.family = family;
        this.socket = DatagramChannels.open(family);
    }

    @Override
    public DatagramChannel channel() {
        return socket;
    }

    /** Sets the socket options (IP families only), binds, and records the real address. */
    @Override
    public void serverBind() throws IOException {
        ReuseOptions.apply(socket, family, allowReuseAddress, allowReusePort);
        serverAddress = bindChannel(serverAddress);
        replySocket = new ChannelReplySocket(socket, family, transport(), serverAddress);
    }

    /** Binds the channel; returns the bound address. Unix servers bind in a private folder first. */
    SocketAddress bindChannel(SocketAddress address) throws IOException {
        socket.bind(DatagramChannels.toChannelAddress(family, address));
        return DatagramChannels.fromChannelAddress(socket.getLocalAddress());
    }

    @Override
    protected IncomingRequest<DatagramRequest> getRequest() throws IOException {
        byte[] packet;
        SocketAddress from;
        synchronized (receiving) {
            ByteBuffer buffer = receiveBuffer();
            from = socket.receive(buffer);
            // junixsocket reports an unbound sender as null, as the JDK reports "nothing there", and reads an empty
            // datagram as nothing: only the bytes tell them apart, so empty Unix datagrams yield no request
            // (docs/semantics.md, case 5).
            if (from == null && buffer.position() == 0) {
                return null;
            }
            buffer.flip();
            packet = new byte[buffer.remaining()];
            buffer.get(packet);
        }
        SocketAddress client = from == null ? null : DatagramChannels.fromChannelAddress(from);
        if (client == null) {
            noteUnboundClient();
        }
        return new IncomingRequest<>(new ReceivedDatagram(packet, replySocket), client);
    }

    /** The reusable receive buffer, resized when {@link #maxPacketSize} changed. Direct: the kernel fills it in place. */
    private ByteBuffer receiveBuffer() {
        int size = maxPacketSize;
        if (receiveBuffer == null || receiveBuffer.capacity() != size) {
            receiveBuffer = ByteBuffer.allocateDirect(size);
        }
        return receiveBuffer.clear();
    }

    /** One warning per server; later ones at DEBUG, so a chatty unbound client cannot flood the log. */
    private void noteUnboundClient() {
        Level level = unboundClientSeen.compareAndSet(false, true) ? Level.WARNING : Level.DEBUG;
        LOG.log(level, "Datagram on {0} from an unbound socket: it is handled, but no reply can be sent "
                + "(the client must bind its socket to receive replies)", serverAddress);
    }

    @Override
    protected int readyOps() {
        return SelectionKey.OP_READ;
    }

    @Override
    protected void closeChannel() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing has nothing to report.
        }
    }

    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** Takes effect with the next datagram received. */
    public void setMaxPacketSize(int maxPacketSize) {
        if (maxPacketSize < 1) {
            throw new IllegalArgumentException("maxPacketSize must be at least 1: " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
    }

    /** Takes effect at {@link #serverBind()}: construct with {@code bindAndActivate=false} to use it. */
    public void setAllowReuseAddress(boolean allowReuseAddress) {
        this.allowReuseAddress = allowReuseAddress;
    }

    /** Takes effect at {@link #serverBind()}: construct with {@code bindAndActivate=false} to use it. */
    public void setAllowReusePort(boolean allowReusePort) {
        this.allowReusePort = allowReusePort;
    }
}
