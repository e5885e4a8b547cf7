package io.portside.server.forking;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.server.BaseServer.Routing;
import io.portside.server.TcpServer;

/**
 * Python's {@code ForkingTCPServer}: a {@link TcpServer} whose requests are served in worker processes
 * ({@link ForkingModel}). The handler is given as a class, as Python passes {@code RequestHandlerClass}: workers
 * instantiate it by name (a handler class with a no-arg constructor, or a factory class).
 */
public class ForkingTcpServer extends TcpServer {

    /** A server with the default {@link ForkingOptions}, bound, with its spare workers starting. */
    public ForkingTcpServer(InetSocketAddress address, Class<?> handlerClass) throws IOException {
        this(address, ForkingServers.handlerFor(handlerClass, true), ForkingOptions.defaults(), true);
    }

    /**
     * @param bindAndActivate false to set bind options first and then call {@link #bindAndActivate()}; workers start
     *                        once the server is active (the model is told by {@link #serverActivate()})
     */
    public ForkingTcpServer(InetSocketAddress address, HandlerClass handlerClass, ForkingOptions options, boolean bindAndActivate)
            throws IOException {
        super(address, Routing.servedElsewhere(new ForkingModel(options, handlerClass)), bindAndActivate);
    }

    /** The forking model: Python's {@code active_children}, the workers, the options. */
    public ForkingModel forking() {
        return (ForkingModel) concurrency();
    }
}
