package io.portside.server;

import java.io.IOException;
import java.nio.file.Path;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.concurrency.ConcurrencyModel;

/** Python's {@code ThreadingUnixStreamServer}: a {@link UnixStreamServer} with a thread per request. */
public class ThreadingUnixStreamServer extends UnixStreamServer {

    public ThreadingUnixStreamServer(Path path, RequestHandlerFactory<StreamRequest> handlerFactory) throws IOException {
        super(path, handlerFactory, ConcurrencyModel.threading(), true);
    }
}
