package io.portside.server.forking;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.handler.api.DatagramRequest;
import io.portside.server.UdpServer;

/**
 * Python's {@code ForkingUDPServer}: a {@link UdpServer} whose requests are served in worker processes
 * ({@link ForkingModel}). The handler is given as a class, as Python passes {@code RequestHandlerClass}: workers
 * instantiate it by name (a handler class with a no-arg constructor, or a factory class).
 */
public class ForkingUdpServer extends UdpServer {

    private final ForkingModel forking;

    /** A server with the default {@link ForkingOptions}, bound, with its spare workers starting. */
    public ForkingUdpServer(InetSocketAddress address, Class<?> handlerClass) throws IOException {
        this(address, ForkingServers.handlerFor(handlerClass, false), ForkingOptions.defaults(), true);
    }

    /**
     * @param bindAndActivate false to set bind options first and then call {@link #bindAndActivate()}; workers start
     *                        once the server is active
     */
    public ForkingUdpServer(InetSocketAddress address, HandlerClass handlerClass, ForkingOptions options, boolean bindAndActivate)
            throws IOException {
        this(address, handlerClass, new ForkingModel(options, handlerClass), bindAndActivate);
    }

    private ForkingUdpServer(InetSocketAddress address, HandlerClass handlerClass, ForkingModel model, boolean bindAndActivate)
            throws IOException {
        super(address, model);
        this.forking = model;
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /** Activates the socket, then binds the workers to it and prestarts the spares. */
    @Override
    public void serverActivate() throws IOException {
        super.serverActivate();
        forking.attach(this);
    }

    /** The forking model: Python's {@code active_children}, the workers, the options. */
    public ForkingModel forking() {
        return forking;
    }
}
