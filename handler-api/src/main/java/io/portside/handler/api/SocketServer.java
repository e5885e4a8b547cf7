package io.portside.handler.api;

import java.net.SocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** What a handler sees of the server that runs it ({@code self.server} in Python). */
@ProviderType
public interface SocketServer {

    /** The address the server is bound to, with a port of 0 already resolved to the real port. */
    SocketAddress serverAddress();

    /** The server's transport. */
    Transport transport();
}
