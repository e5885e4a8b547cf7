package io.portside.server.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The host's listeners as they are now. Registered as a service by server-core. */
@ProviderType
public interface SocketServerRuntime {

    /** A snapshot of every listener, sorted by endpoint. */
    List<ListenerView> listeners();

    /** Increases with every change to any listener. */
    long changeCount();
}
