package io.portside.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.CreatedSocketFile;

/**
 * Python's {@code UnixStreamServer}, on the JDK's Unix domain socket channels.
 *
 * <p>Unlike CPython, closing the server removes the socket file it created, so the path can be bound again;
 * binding over an existing file still fails, as in CPython (see docs/semantics.md, case 19).
 */
public class UnixStreamServer extends StreamServer {

    private final CreatedSocketFile socketFile = new CreatedSocketFile();

    public UnixStreamServer(Path path, RequestHandlerFactory<StreamRequest> handlerFactory) throws IOException {
        this(path, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    public UnixStreamServer(Path path, RequestHandlerFactory<StreamRequest> handlerFactory, ConcurrencyModel concurrency,
            boolean bindAndActivate) throws IOException {
        super(UnixDomainSocketAddress.of(path), handlerFactory, concurrency, StandardProtocolFamily.UNIX);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    @Override
    public void serverBind() throws IOException {
        super.serverBind();
        socketFile.created(serverAddress().getPath());
    }

    @Override
    public UnixDomainSocketAddress serverAddress() {
        return (UnixDomainSocketAddress) serverAddress;
    }

    @Override
    public Transport transport() {
        return Transport.UNIX_STREAM;
    }

    @Override
    protected void closeChannel() {
        super.closeChannel();
        socketFile.remove();
    }
}
