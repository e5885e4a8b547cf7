package io.portside.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Python's {@code UnixDatagramServer}, on junixsocket (embedded; the JDK has no Unix datagram channels).
 *
 * <p>A client's address is its bound path as a {@link UnixDomainSocketAddress}, or {@code null} when its
 * socket is unbound: such a client is served but cannot be answered, and the server logs it once.
 * As with {@link UnixStreamServer}, the socket file gets exact permissions ({@code rw-rw----} unless set) before
 * its path appears, binding over any existing file fails and leaves it untouched, and closing the server removes
 * the socket file it created (docs/semantics.md, case 19).
 */
public class UnixDatagramServer extends DatagramServer {

    private final UnixSocketFile socketFile = new UnixSocketFile();

    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, ConcurrencyModel concurrency,
            boolean bindAndActivate) throws IOException {
        this(path, Routing.hooks(handlerFactory, concurrency), bindAndActivate);
    }

    /**
     * A server whose requests all go to {@code processor} (a host's connection pipeline) instead of Python's hooks.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    public UnixDatagramServer(Path address, RequestProcessor<DatagramRequest> processor, boolean bindAndActivate) throws IOException {
        this(address, Routing.processor(processor), bindAndActivate);
    }

    /**
     * A server whose requests go where {@code routing} says.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    protected UnixDatagramServer(Path address, Routing<DatagramRequest> routing, boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(address), routing, StandardProtocolFamily.UNIX);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /**
     * Binds in a private folder, applies group and permissions, then links the socket file to its path. (junixsocket
     * binding at the path itself would unlink a file it finds there and make the socket 0666.)
     */
    @Override
    SocketAddress bindChannel(SocketAddress address) throws IOException {
        return socketFile.bind(address, super::bindChannel);
    }

    @Override
    public UnixDomainSocketAddress serverAddress() {
        return (UnixDomainSocketAddress) serverAddress;
    }

    @Override
    public Transport transport() {
        return Transport.UNIX_DATAGRAM;
    }

    /** The socket file: its permissions ({@code rw-rw----} unless set) and group, applied when the server binds. */
    public UnixSocketFile socketFile() {
        return socketFile;
    }

    @Override
    protected void closeChannel() {
        super.closeChannel();
        socketFile.remove();
    }
}
