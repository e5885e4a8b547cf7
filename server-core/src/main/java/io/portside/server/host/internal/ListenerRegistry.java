package io.portside.server.host.internal;

import java.util.Map;

/** Where listener configurations report themselves; implemented by the {@link Whiteboard}. */
public interface ListenerRegistry {

    /** A listener configuration was created or changed. */
    void configure(String pid, Map<String, Object> properties);

    /** A listener configuration was deleted. */
    void unconfigure(String pid);
}
