package io.portside.server;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.server.concurrency.ConcurrencyModel;

/** Python's {@code ThreadingUDPServer}: a {@link UdpServer} with a thread per datagram. */
public class ThreadingUdpServer extends UdpServer {

    public ThreadingUdpServer(InetSocketAddress address, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        super(address, handlerFactory, ConcurrencyModel.threading(), true);
    }
}
