package io.portside.server;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.concurrency.ConcurrencyModel;

/** Python's {@code ThreadingTCPServer}: a {@link TcpServer} with a thread per request. */
public class ThreadingTcpServer extends TcpServer {

    public ThreadingTcpServer(InetSocketAddress address, RequestHandlerFactory<StreamRequest> handlerFactory) throws IOException {
        super(address, handlerFactory, ConcurrencyModel.threading(), true);
    }
}
