package io.portside.server.host.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.portside.server.runtime.SocketServerRuntime;

/** Gogo commands over the {@link SocketServerRuntime}: {@code portside:listeners} and {@code portside:json}. */
@Component(service = ListenerCommands.class, property = {
        "osgi.command.scope=portside",
        "osgi.command.function=listeners",
        "osgi.command.function=json"})
public final class ListenerCommands {

    private final SocketServerRuntime runtime;

    @org.osgi.service.component.annotations.Activate
    public ListenerCommands(@Reference SocketServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** A table of every listener: endpoint, state, handler and version, concurrency, open connections. */
    public String listeners() {
        return RuntimeFormat.table(runtime.listeners());
    }

    /** The same view as JSON, for scripts. */
    public String json() {
        // The descriptor budget is the host's (Whiteboard's), not part of the public runtime API.
        DescriptorBudget.Figures descriptors = runtime instanceof Whiteboard w ? w.descriptors() : null;
        return RuntimeFormat.json(runtime.listeners(), runtime.changeCount(), descriptors);
    }
}
