package io.portside.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Python's {@code UnixStreamServer}, on the JDK's Unix domain socket channels.
 *
 * <p>The socket file gets exact permissions ({@link #setSocketPermissions}, by default {@code rw-rw----}: owner and
 * group, whatever the umask) and optionally a group before its path appears. Binding over any existing file fails and
 * leaves it untouched, as in CPython; unlike CPython, closing the server removes the socket file it created, so the
 * path can be bound again (see docs/semantics.md, case 19).
 */
public class UnixStreamServer extends StreamServer {

    private final UnixSocketFile socketFile = new UnixSocketFile();

    public UnixStreamServer(Path path, RequestHandlerFactory<StreamRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    public UnixStreamServer(Path path, RequestHandlerFactory<StreamRequest> handlerFactory, ConcurrencyModel concurrency,
            boolean bindAndActivate) throws IOException {
        this(path, Routing.hooks(handlerFactory, concurrency), bindAndActivate);
    }

    /**
     * A server whose requests all go to {@code processor} (a host's connection pipeline) instead of Python's hooks.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    public UnixStreamServer(Path address, RequestProcessor<StreamRequest> processor, boolean bindAndActivate) throws IOException {
        this(address, Routing.processor(processor), bindAndActivate);
    }

    /**
     * A server whose requests go where {@code routing} says.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    protected UnixStreamServer(Path address, Routing<StreamRequest> routing, boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(address), routing, StandardProtocolFamily.UNIX);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /** Binds in a private folder, applies group and permissions, then links the socket file to its path. */
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
        return Transport.UNIX_STREAM;
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
