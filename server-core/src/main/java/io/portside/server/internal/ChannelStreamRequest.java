package io.portside.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;

/**
 * An accepted TCP or Unix stream connection. Reads and writes block, always; a timeout (the handler's own, or the
 * host's limits) is a deadline the process's one {@link HostClock} watches, which closes the connection when it passes,
 * so a timed connection holds no descriptor but its own socket (no private selector).
 *
 * <p>On a virtual thread, from its third read on, the connection waits on a {@link ReadinessLoop} of Portside's own
 * once a read finds nothing (or a write cannot be taken): its socket turns non-blocking and is registered with the loop
 * for good, which reads what arrives and wakes the handler ({@link SocketCalls}, {@link LoopedChannel}). On a platform
 * thread, or for a connection whose descriptor goes to another process ({@link #staysBlocking}), calls block as before.
 */
public final class ChannelStreamRequest implements StreamRequest, ByteCounts {

    /** The most one write of the socket carries, so that a large write to a client that reads slowly still shows progress. */
    private static final int WRITE_SLICE = 256 * 1024;

    private final SocketChannel channel;
    private final Transport transport;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private final StreamTimer timer = new StreamTimer(this::closeQuietly);
    private final SocketCalls socket;
    // Written by the one thread that runs the handler, read after it has ended.
    /** The PROXY header the connection started with, once the host read it. */
    private volatile ProxyInfo proxy;
    private volatile byte[] proxyBytes = new byte[0];
    private long bytesRead;
    private long bytesWritten;

    public ChannelStreamRequest(SocketChannel channel, Transport transport) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.socket = new SocketCalls(channel);
        this.transport = transport;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
    }

    /** Its time limits stop being watched here: a protocol that takes the socket over keeps its own. */
    public void stopTimers() {
        timer.stop();
    }

    /** The underlying channel, for the host (forking hands its descriptor to a worker). */
    public SocketChannel channel() {
        return channel;
    }

    /** Applies the host's time limits; the handler's own timeout stays as it sets it. */
    public void limits(StreamLimits limits) {
        timer.limits(limits);
    }

    /** The host's time limits on it. */
    public StreamLimits limits() {
        return timer.limits();
    }

    /**
     * Bounds a whole phase of the connection, such as the TLS handshake: past {@code within} the clock closes it, and
     * the blocked call fails with a {@link HostTimeoutException} of {@code kind}. {@link #clearDeadline} ends the phase.
     */
    public void deadline(StreamTimeout kind, Duration within) {
        timer.deadline(kind, within);
    }

    public void clearDeadline() {
        timer.clearDeadline();
    }

    /** How long the limit that closed the connection was ("2 s", "750 ms"; the handler's own as {@code PT0.2S}); null when none did. */
    public String timedOutAfter() {
        return timer.expiredAfter();
    }

    /** The limit that closed the connection, or null when none did. */
    public StreamTimeout timedOut() {
        return timer.expired();
    }

    /** Since when ({@link System#nanoTime()}) the handler has been waiting on the client; 0 when it is not. */
    public long waitingSince() {
        return timer.waitingSince();
    }

    /** When its last read or write of the client ended ({@link System#nanoTime()}); 0 when it has made none. */
    public long lastWaitEnded() {
        return timer.lastWaitEnded();
    }

    /** Bytes the readiness loop has read from the socket that the handler has not yet (0 when no loop serves it). */
    int heldByLoop() {
        return socket.heldByLoop();
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
    public void setTimeout(Duration timeout) throws IOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        // Python's settimeout(0): non-blocking, the one case that needs no clock: a call that would wait fails at once.
        socket.nonBlocking(timeout != null && timeout.isZero());
        timer.handlerTimeout(timeout);
    }

    @Override
    public Duration timeout() {
        return timer.handlerTimeout();
    }

    @Override
    public void readCallStarted() {
        timer.callStarted();
    }

    @Override
    public void readCallEnded() {
        timer.callEnded();
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
        if (!channel.isOpen()) {
            return; // closed already (a time limit, a protocol's end): nothing left to half-close, no exception to build
        }
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
    public Optional<ProxyInfo> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** The PROXY header the host read from the connection, for the handler ({@link #proxy()}), and its bytes. */
    public void proxy(ProxyInfo header, byte[] raw) {
        this.proxy = header;
        this.proxyBytes = raw;
    }

    /** The client's first byte is still to come (first.byte.timeout counts from now): what came so far was a proxy's. */
    public void restartFirstByte() {
        timer.restartFirstByte();
    }

    /**
     * The descriptor will be handed to another process (forking): reads stay the kernel's own, so that no byte the
     * client sent is read here ahead of the handler. Called before anything reads.
     */
    public void staysBlocking() {
        socket.staysBlocking();
    }

    /** The PROXY header's bytes as they came (for a worker process to parse again); empty when there was none. */
    public byte[] proxyHeaderBytes() {
        return proxyBytes;
    }

    @Override
    public void close() throws IOException {
        timer.stop();
        try {
            channel.close();
        } finally {
            socket.closed();
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing to end a blocked call: nothing left to do
        } finally {
            socket.closed();
        }
    }

    @Override
    public String toString() {
        return transport.scheme() + " connection from " + remoteAddress;
    }

    private final class Input extends ConnectionInput {
        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            int n = -1;
            timer.readStarted();
            try {
                n = socket.read(b, off, len);
            } catch (ClosedChannelException e) {
                throw timer.failure(e, "read");
            } finally {
                timer.readEnded(n);
            }
            if (n > 0) {
                bytesRead += n;
            } else if (n == 0) { // non-blocking (a zero timeout): nothing to read now; -1 still says the client closed
                throw new SocketTimeoutException("read timed out after " + timer.handlerTimeout());
            }
            return n;
        }

        /** The bytes the socket holds unread: a read of that many would not wait. */
        @Override
        public int available() throws IOException {
            return socket.heldByLoop() + PendingBytes.of(channel, transport == Transport.UNIX_STREAM);
        }
    }

    private final class Output extends ConnectionOutput {
        @Override
        protected void writeAll(byte[] b, int off, int len) throws IOException {
            for (int done = 0; done < len; ) {
                int slice = Math.min(WRITE_SLICE, len - done);
                writeFully(ByteBuffer.wrap(b, off + done, slice));
                done += slice;
                bytesWritten += slice;
            }
        }

        /** One slice: its own deadline, so a client that keeps reading, however slowly, is never cut off. */
        private void writeFully(ByteBuffer buffer) throws IOException {
            timer.writeStarted();
            try {
                if (!socket.write(buffer)) { // a zero timeout: the socket takes no more now
                    throw new SocketTimeoutException("write timed out after " + timer.handlerTimeout());
                }
            } catch (ClosedChannelException e) {
                throw timer.failure(e, "write");
            } finally {
                timer.writeEnded();
            }
        }
    }
}
