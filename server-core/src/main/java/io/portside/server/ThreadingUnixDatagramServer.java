package io.portside.server;

import java.io.IOException;
import java.nio.file.Path;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.server.concurrency.ConcurrencyModel;

/** Python's {@code ThreadingUnixDatagramServer}: a {@link UnixDatagramServer} with a thread per datagram. */
public class ThreadingUnixDatagramServer extends UnixDatagramServer {

    public ThreadingUnixDatagramServer(Path path, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        super(path, handlerFactory, ConcurrencyModel.threading(), true);
    }
}
