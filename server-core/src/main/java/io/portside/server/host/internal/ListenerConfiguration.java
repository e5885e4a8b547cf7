package io.portside.server.host.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * One listener configuration. Changes are applied in place ({@link Modified}), never by stopping and starting
 * the component, so editing a {@code .cfg} re-points a listener without closing its socket. Its keys are declared
 * in {@link ListenerConfig}.
 */
@Component(configurationPid = ListenerConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class ListenerConfiguration {

    private final ListenerRegistry registry;
    private final String pid;

    @Activate
    public ListenerConfiguration(@Reference ListenerRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        this.pid = String.valueOf(properties.get("service.pid"));
        registry.configure(pid, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        registry.configure(pid, properties);
    }

    @Deactivate
    void deactivate() {
        registry.unconfigure(pid);
    }
}
