package io.portside.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
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
        this(address, Routing.hooks(handlerFactory, concurrency), bindAndActivate);
    }

    /**
     * A server whose requests all go to {@code processor} (a host's connection pipeline) instead of Python's hooks.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    public TcpServer(InetSocketAddress address, RequestProcessor<StreamRequest> processor, boolean bindAndActivate) throws IOException {
        this(address, Routing.processor(processor), bindAndActivate);
    }

    /**
     * A server whose requests go where {@code routing} says.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    protected TcpServer(InetSocketAddress address, Routing<StreamRequest> routing, boolean bindAndActivate) throws IOException {
        super(checked(address), routing, family(address));
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

    /** IPv6 for an IPv6 address, else IPv4 (TCP and UDP alike). */
    static ProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
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
