package io.portside.server.forking;

import java.io.IOException;
import java.nio.file.Path;

import io.portside.handler.api.DatagramRequest;
import io.portside.server.UnixDatagramServer;

/**
 * Python's {@code ForkingUnixDatagramServer}: a {@link UnixDatagramServer} whose requests are served in worker processes
 * ({@link ForkingModel}). The handler is given as a class, as Python passes {@code RequestHandlerClass}: workers
 * instantiate it by name (a handler class with a no-arg constructor, or a factory class).
 */
public class ForkingUnixDatagramServer extends UnixDatagramServer {

    private final ForkingModel forking;

    /** A server with the default {@link ForkingOptions}, bound, with its spare workers starting. */
    public ForkingUnixDatagramServer(Path address, Class<?> handlerClass) throws IOException {
        this(address, ForkingServers.handlerFor(handlerClass, false), ForkingOptions.defaults(), true);
    }

    /**
     * @param bindAndActivate false to set bind options first and then call {@link #bindAndActivate()}; workers start
     *                        once the server is active
     */
    public ForkingUnixDatagramServer(Path address, HandlerClass handlerClass, ForkingOptions options, boolean bindAndActivate)
            throws IOException {
        this(address, handlerClass, new ForkingModel(options, handlerClass), bindAndActivate);
    }

    private ForkingUnixDatagramServer(Path address, HandlerClass handlerClass, ForkingModel model, boolean bindAndActivate)
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
