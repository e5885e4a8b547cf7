package io.portside.server.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.TlsInfo;
import io.portside.handler.api.Transport;
import io.portside.server.internal.ByteCounts;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ConnectionInput;
import io.portside.server.internal.ConnectionOutput;
import io.portside.server.internal.StreamTimeout;
import io.portside.server.tls.internal.TlsHandshakeException.Reason;

/**
 * A stream connection that speaks TLS: an {@link SSLEngine} over the raw connection's blocking streams, so the host's
 * time limits on the raw connection keep bounding every wait, on TCP and Unix sockets alike (a Unix channel has no
 * {@code Socket}, hence an engine rather than an {@code SSLSocket}). Its streams carry plaintext with the raw ones'
 * semantics: a read returns what is available, at least one byte, and -1 at the client's close_notify or EOF; a write
 * sends everything.
 *
 * <p>One thread reads and one writes, which may be the same or two: the engine's unwrap side ({@link TlsReader}) and wrap
 * side ({@link TlsWriter}) are guarded apart.
 */
public final class TlsStreamRequest implements StreamRequest, ByteCounts {

    private final ChannelStreamRequest raw;
    private final SSLEngine engine;
    private final TlsWriter writer;
    private final TlsReader reader;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private volatile TlsSessionInfo session;

    /**
     * Over {@code raw}, with an engine whose mode is set: server mode ({@code setUseClientMode(false)}) for the host; a
     * client-mode one works the same (the tests' clients use it). Nothing is read or sent until {@link #handshake}.
     */
    public TlsStreamRequest(ChannelStreamRequest raw, SSLEngine engine) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.writer = new TlsWriter(engine, raw.outputStream());
        this.reader = new TlsReader(engine, raw.inputStream(), writer);
        writer.reader(reader);
    }

    /**
     * Runs the whole handshake on the calling thread (the connection's own), bounded by {@code timeout} on the host's
     * clock as well as by the raw connection's limits. A failure has sent the JDK's alert, if it made one; the caller
     * closes the connection.
     */
    public void handshake(Duration timeout) throws TlsHandshakeException {
        raw.deadline(StreamTimeout.HANDSHAKE, timeout);
        try {
            engine.beginHandshake();
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_WRAP -> {
                        // Once the client has left or an alert went out, the engine may go on asking to wrap without ever
                        // producing a byte: a wrap that sends nothing and changes nothing would spin a carrier for ever.
                        long sent = raw.bytesOut();
                        if (writer.flushHandshake() == HandshakeStatus.NEED_WRAP && raw.bytesOut() == sent) {
                            throw engine.isInboundDone() ? new java.io.EOFException("the client closed the connection during the handshake")
                                    : new javax.net.ssl.SSLException("the handshake stalled: the engine has nothing to send");
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> reader.unwrapHandshake();
                    case NEED_TASK -> EngineTasks.run(engine);
                    case FINISHED, NOT_HANDSHAKING -> {
                        session = TlsSessionInfo.of(engine);
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) { // runtime: the engine's or a key or trust manager's own failure
            Reason reason = HandshakeFailures.classify(e, reader.firstByte(), raw.timedOut() != null);
            if (reason != Reason.TIMEOUT && reason != Reason.CLIENT_GONE) {
                sendAlert();
            }
            throw new TlsHandshakeException(reason, e);
        } finally {
            raw.clearDeadline();
        }
    }

    /** The engine holds the alert of a failure it detected until it is wrapped: send it, best effort. */
    private void sendAlert() {
        try {
            writer.closeOutbound();
        } catch (IOException | RuntimeException e) {
            // the client is gone or the engine is spent: it is closed next either way
        }
    }

    /** The connection under the TLS, for the host (its limits, deadlines and ciphertext counts). */
    public ChannelStreamRequest raw() {
        return raw;
    }

    /** Plaintext bytes the handler read (the raw connection counts the ciphertext). */
    @Override
    public long bytesIn() {
        return reader.plaintextRead();
    }

    /** Plaintext bytes the handler wrote (the raw connection counts the ciphertext). */
    @Override
    public long bytesOut() {
        return writer.plaintextWritten();
    }

    /** Bytes of buffer the connection holds now (the engine's own state aside); none while its handler waits idle. */
    public int bufferedBytes() {
        return reader.heldBytes();
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(session);
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
        return raw.transport();
    }

    @Override
    public SocketAddress localAddress() {
        return raw.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return raw.remoteAddress();
    }

    @Override
    public void setTimeout(Duration timeout) throws IOException {
        raw.setTimeout(timeout);
    }

    @Override
    public Duration timeout() {
        return raw.timeout();
    }

    @Override
    public void readCallStarted() {
        raw.readCallStarted();
    }

    @Override
    public void readCallEnded() {
        raw.readCallEnded();
    }

    @Override
    public boolean setNoDelay(boolean noDelay) throws IOException {
        return raw.setNoDelay(noDelay);
    }

    /** Sends close_notify, then half-closes the socket: the client reads the end, this side may still read. */
    @Override
    public void shutdownOutput() throws IOException {
        if (!raw.isOpen()) {
            raw.shutdownOutput(); // says why (a time limit), or that it is closed
            return;
        }
        writer.closeOutbound();
        raw.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }

    @Override
    public Optional<PeerCredentials> peerCredentials() {
        return raw.peerCredentials();
    }

    @Override
    public Optional<ProxyInfo> proxy() {
        return raw.proxy();
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    @Override
    public String toString() {
        return "TLS " + raw;
    }

    private final class Input extends ConnectionInput {
        /** One plaintext read is one call for the idle limit, however many records and socket reads it takes. */
        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            raw.readCallStarted();
            try {
                return reader.read(b, off, len);
            } finally {
                raw.readCallEnded();
            }
        }

        @Override
        public int available() {
            return reader.available();
        }
    }

    private final class Output extends ConnectionOutput {
        @Override
        protected void writeAll(byte[] b, int off, int len) throws IOException {
            writer.write(b, off, len);
        }
    }
}
