package io.portside.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Python's {@code TCPServer}, for IPv4 and IPv6 (chosen by the address). Port 0 binds an ephemeral port,
 * which {@link #serverAddress()} then reports.
 */
public class TcpServer extends StreamServer {

    /** A synchronous server, bound and listening. */
    public TcpServer(InetSocketAddress address, RequestHandlerFactory<StreamRequest> handlerFactory) throws IOException {
        this(address, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    /**
     * @param bindAndActivate false to set options first and then call {@link #serverBind()} and
     *                        {@link #serverActivate()} yourself
     */
    public TcpServer(InetSocketAddress address, RequestHandlerFactory<StreamRequest> handlerFactory,
            ConcurrencyModel concurrency, boolean bindAndActivate) throws IOException {
        super(checked(address), handlerFactory, concurrency,
                address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    static InetSocketAddress checked(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host '" + address.getHostString() + "'");
        }
        return address;
    }

    @Override
    public InetSocketAddress serverAddress() {
        return (InetSocketAddress) serverAddress;
    }

    @Override
    public Transport transport() {
        return Transport.TCP;
    }
}
