package io.portside.server;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.CreatedSocketFile;

/**
 * Python's {@code UnixDatagramServer}, on junixsocket (embedded; the JDK has no Unix datagram channels).
 *
 * <p>A client's address is its bound path as a {@link UnixDomainSocketAddress}, or {@code null} when its
 * socket is unbound: such a client is served but cannot be answered, and the server logs it once.
 * As with {@link UnixStreamServer}, binding over an existing file fails and closing the server removes
 * the socket file it created (docs/semantics.md, case 19).
 */
public class UnixDatagramServer extends DatagramServer {

    private final CreatedSocketFile socketFile = new CreatedSocketFile();

    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    public UnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory, ConcurrencyModel concurrency,
            boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(path), handlerFactory, concurrency, StandardProtocolFamily.UNIX);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /** Refuses an existing file, as the kernel does (junixsocket would silently replace a stale socket file). */
    @Override
    public void serverBind() throws IOException {
        Path path = serverAddress().getPath();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BindException("Address already in use: " + path);
        }
        super.serverBind();
        socketFile.created(serverAddress().getPath());
    }

    @Override
    public UnixDomainSocketAddress serverAddress() {
        return (UnixDomainSocketAddress) serverAddress;
    }

    @Override
    public Transport transport() {
        return Transport.UNIX_DATAGRAM;
    }

    @Override
    protected void closeChannel() {
        super.closeChannel();
        socketFile.remove();
    }
}
