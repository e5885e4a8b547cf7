package io.portside.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;

/**
 * An accepted TCP or Unix stream connection. Reads and writes block on the channel; once a timeout is set,
 * the channel switches to non-blocking mode and waits on a private selector instead, which works the same
 * for both families (the JDK's socket adaptor, the usual route to SO_TIMEOUT, does not exist for Unix channels).
 */
public final class ChannelStreamRequest implements StreamRequest, ByteCounts {

    private final SocketChannel channel;
    private final Transport transport;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private volatile Duration timeout;
    // Written by the one thread that runs the handler, read after it has ended.
    private long bytesRead;
    private long bytesWritten;
    private Selector timedSelector;

    public ChannelStreamRequest(SocketChannel channel, Transport transport) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.transport = transport;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
    }

    /** The underlying channel, for the host (forking hands its descriptor to a worker). */
    public SocketChannel channel() {
        return channel;
    }

    /** Bytes the handler read from the connection. */
    @Override
    public long bytesIn() {
        return bytesRead;
    }

    /** Bytes the handler wrote to the connection. */
    @Override
    public long bytesOut() {
        return bytesWritten;
    }

    @Override
    public InputStream inputStream() {
        return input;
    }

    @Override
    public OutputStream outputStream() {
        return output;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public synchronized void setTimeout(Duration timeout) throws IOException {
        if (timeout != null && (timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
        channel.configureBlocking(timeout == null);
        if (timeout != null && timedSelector == null) {
            timedSelector = channel.provider().openSelector();
        }
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean setNoDelay(boolean noDelay) throws IOException {
        if (transport != Transport.TCP) {
            return false;
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public Optional<PeerCredentials> peerCredentials() {
        return transport == Transport.UNIX_STREAM ? PeerCredentialsReader.read(channel) : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Selector s;
            synchronized (this) {
                s = timedSelector;
                timedSelector = null;
            }
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    public String toString() {
        return transport.scheme() + " connection from " + remoteAddress;
    }

    /** Waits until the channel is ready for {@code op} or the timeout passes. */
    private void await(int op) throws IOException {
        Duration limit = timeout;
        Selector selector = timedSelector;
        if (limit == null || selector == null) {
            return;
        }
        SelectionKey key = channel.register(selector, op);
        try {
            long millis = limit.toMillis();
            int ready = millis == 0 ? selector.selectNow() : selector.select(millis);
            selector.selectedKeys().clear();
            if (ready == 0) {
                throw new SocketTimeoutException((op == SelectionKey.OP_READ ? "read" : "write") + " timed out after " + limit);
            }
        } finally {
            key.interestOps(0);
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            int n = channel.read(buffer);
            while (n == 0) {
                await(SelectionKey.OP_READ);
                n = channel.read(buffer);
            }
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        }

        /** The bytes the socket holds unread: a read of that many would not wait. */
        @Override
        public int available() throws IOException {
            return PendingBytes.of(channel, transport == Transport.UNIX_STREAM);
        }

        /** Does not close the connection: the server does. */
        @Override
        public void close() {
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(SelectionKey.OP_WRITE);
                }
            }
            bytesWritten += len;
        }

        /** Does not close the connection: the server does. */
        @Override
        public void close() {
        }
    }
}
