package io.portside.server;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Python's {@code UDPServer}, for IPv4 and IPv6 (chosen by the address). Port 0 binds an ephemeral port,
 * which {@link #serverAddress()} then reports.
 */
public class UdpServer extends DatagramServer {

    /** A synchronous server, bound. */
    public UdpServer(InetSocketAddress address, RequestHandlerFactory<DatagramRequest> handlerFactory) throws IOException {
        this(address, handlerFactory, ConcurrencyModel.synchronous(), true);
    }

    /**
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()} (or
     *                        {@link #serverBind()} and {@link #serverActivate()}) yourself
     */
    public UdpServer(InetSocketAddress address, RequestHandlerFactory<DatagramRequest> handlerFactory,
            ConcurrencyModel concurrency, boolean bindAndActivate) throws IOException {
        this(address, Routing.hooks(handlerFactory, concurrency), bindAndActivate);
    }

    /**
     * A server whose requests all go to {@code processor} (a host's connection pipeline) instead of Python's hooks.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    public UdpServer(InetSocketAddress address, RequestProcessor<DatagramRequest> processor, boolean bindAndActivate) throws IOException {
        this(address, Routing.processor(processor), bindAndActivate);
    }

    /**
     * A server whose requests go where {@code routing} says.
     *
     * @param bindAndActivate false to set options first and then call {@link #bindAndActivate()}
     */
    protected UdpServer(InetSocketAddress address, Routing<DatagramRequest> routing, boolean bindAndActivate) throws IOException {
        super(TcpServer.checked(address), routing, TcpServer.family(address));
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    @Override
    public InetSocketAddress serverAddress() {
        return (InetSocketAddress) serverAddress;
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
    }
}
