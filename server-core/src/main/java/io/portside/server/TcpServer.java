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

    /**
     * A server whose requests all go to {@code processor} (a host's connection pipeline) instead of Python's hooks.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    public TcpServer(InetSocketAddress address, RequestProcessor<StreamRequest> processor, boolean bindAndActivate) throws IOException {
        super(checked(address), processor, address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /** For a subclass whose model serves every request in another process (forking); not bound yet. */
    protected TcpServer(InetSocketAddress address, ConcurrencyModel servedElsewhere) throws IOException {
        super(checked(address), servedElsewhere, address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
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
