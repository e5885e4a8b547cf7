package io.portside.handler.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An accepted connection of a stream server (TCP or Unix stream): the {@code request} of a stream handler.
 *
 * <p>The streams are raw and unbuffered: a write returns once every byte has been handed to the socket
 * ({@code sendall}). Closing either stream does not close the connection; the server closes it
 * ({@code shutdownRequest}) after the handler has finished.
 */
@ProviderType
public interface StreamRequest extends Closeable {

    /**
     * The connection's input; a read blocks at most for {@link #timeout()}, then throws
     * {@link java.net.SocketTimeoutException} and the connection is closed (a timeout of zero fails at once instead, and
     * leaves it open). The host's own limits ({@code idle.timeout}, ...) end a blocked read the same way.
     */
    InputStream inputStream();

    /** The connection's output, unbuffered. */
    OutputStream outputStream();

    /** The transport of the connection. */
    Transport transport();

    /** The server-side address of the connection. */
    SocketAddress localAddress();

    /** The peer's address ({@code client_address}); for Unix sockets the peer's bound path, usually unnamed. */
    SocketAddress remoteAddress();

    /** Sets the read timeout; {@code null} blocks without limit (Python's {@code settimeout(None)}). */
    void setTimeout(Duration timeout) throws IOException;

    /** The read timeout, or {@code null} when reads block without limit. */
    Duration timeout();

    /**
     * Marks the start of one read the handler asked for, which may take several reads of the socket (a whole line):
     * the host's {@code idle.timeout} bounds the wait from here to {@link #readCallEnded()}, so a client that trickles a
     * byte now and then without completing what the handler waits for is closed as idle. Calls nest.
     * {@link LineInputStream#readLine} calls both; a handler reading {@link #inputStream()} directly need not, and each
     * read of the socket is then bounded on its own. Does nothing by default.
     *
     * @since 1.4
     */
    default void readCallStarted() {
    }

    /** Marks the end of the read begun by {@link #readCallStarted()}. Does nothing by default. @since 1.4 */
    default void readCallEnded() {
    }

    /**
     * Turns Nagle's algorithm off or on. Returns false, and does nothing, where the transport has no
     * such algorithm (Unix sockets); Python raises there, Portside ignores it.
     */
    boolean setNoDelay(boolean noDelay) throws IOException;

    /** Half-closes the connection: the peer reads EOF, this side may still read. */
    void shutdownOutput() throws IOException;

    /** False once the connection has been closed. */
    boolean isOpen();

    /** The peer's process credentials, where the transport reports them (Unix sockets on Linux). */
    Optional<PeerCredentials> peerCredentials();

    /**
     * The connection's TLS session, on a listener that serves TLS ({@code tls.certificate}); empty otherwise.
     *
     * @since 1.5
     */
    default Optional<TlsInfo> tls() {
        return Optional.empty();
    }

    /**
     * The PROXY protocol header a load balancer sent ahead of this connection, on a listener with
     * {@code proxy.protocol} on; empty otherwise. {@link #remoteAddress()} is already the client it names.
     *
     * @since 1.6
     */
    default Optional<ProxyInfo> proxy() {
        return Optional.empty();
    }
}
