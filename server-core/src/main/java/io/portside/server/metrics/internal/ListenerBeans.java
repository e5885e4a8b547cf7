package io.portside.server.metrics.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Keeps one {@link ListenerBean} registered per listener, as {@code io.portside:type=Listener,name=<listener>}, in step
 * with the host's listeners: {@link #sync()} registers the new ones and unregisters those gone; {@link #close()} all.
 */
final class ListenerBeans implements AutoCloseable {

    static final String DOMAIN = "io.portside";
    private static final System.Logger LOG = System.getLogger("io.portside.metrics");

    private final MBeanServer server;
    private final MetricsSource source;
    private final Map<String, ObjectName> registered = new ConcurrentHashMap<>();

    ListenerBeans(MBeanServer server, MetricsSource source) {
        this.server = server;
        this.source = source;
    }

    ListenerBeans(MetricsSource source) {
        this(ManagementFactory.getPlatformMBeanServer(), source);
    }

    /** The object name of a listener's bean; the name is quoted when JMX would otherwise misread it. */
    static ObjectName nameOf(String listener) throws MalformedObjectNameException {
        boolean plain = listener.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
        return new ObjectName(DOMAIN + ":type=Listener,name=" + (plain ? listener : ObjectName.quote(listener)));
    }

    /** Registers beans for new listeners, unregisters those of listeners gone. */
    synchronized void sync() {
        List<ListenerSample> now = source.samples();
        Set<String> names = new HashSet<>();
        for (ListenerSample l : now) {
            names.add(l.name());
            if (!registered.containsKey(l.name())) {
                register(l.name());
            }
        }
        for (String gone : Set.copyOf(registered.keySet())) {
            if (!names.contains(gone)) {
                unregister(gone);
            }
        }
    }

    private void register(String listener) {
        try {
            ObjectName name = nameOf(listener);
            if (server.isRegistered(name)) { // left by an earlier server-core that did not stop cleanly
                server.unregisterMBean(name);
            }
            server.registerMBean(new ListenerBean(listener, this::sampleOf), name);
            registered.put(listener, name);
        } catch (JMException e) {
            LOG.log(Level.WARNING, "Metrics: cannot register the MBean of listener {0}: {1}", listener, String.valueOf(e));
        }
    }

    private void unregister(String listener) {
        ObjectName name = registered.remove(listener);
        try {
            if (name != null && server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            LOG.log(Level.DEBUG, "Metrics: cannot unregister {0}: {1}", name, String.valueOf(e));
        }
    }

    private ListenerSample sampleOf(String listener) {
        return source.samples().stream().filter(l -> l.name().equals(listener)).findFirst().orElse(null);
    }

    @Override
    public synchronized void close() {
        for (String listener : Set.copyOf(registered.keySet())) {
            unregister(listener);
        }
    }
}
