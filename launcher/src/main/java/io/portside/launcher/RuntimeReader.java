package io.portside.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.portside.launcher.HostStatus.Counters;
import io.portside.launcher.HostStatus.Listener;
import io.portside.launcher.HostStatus.Revision;

/**
 * Reads server-core's runtime view, the {@code io.portside.server.runtime.SocketServerRuntime} service behind
 * {@code portside:json}, from outside the framework. The launcher runs on the class path and its class loader does not
 * see server-core's packages, so the service's public API is called by name, through the classes of the bundle that
 * registered it: only the exported runtime package is used, never the host's internals. An accessor the view lacks
 * (an older server-core) reads as zero or null.
 */
final class RuntimeReader {

    static final String RUNTIME = "io.portside.server.runtime.SocketServerRuntime";

    private final BundleContext context;

    RuntimeReader(BundleContext context) {
        this.context = context;
    }

    /** The runtime's change count and listeners; none while server-core has not registered its runtime (yet). */
    View read() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(RUNTIME, null); // "All": our class space is not wired to the package
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return new View(0, List.of());
        }
        Object runtime = context.getService(refs[0]);
        if (runtime == null) {
            return new View(0, List.of());
        }
        try {
            Class<?> api = refs[0].getBundle().loadClass(RUNTIME);
            long changeCount = ((Number) api.getMethod("changeCount").invoke(runtime)).longValue();
            List<?> views = (List<?>) api.getMethod("listeners").invoke(runtime);
            return new View(changeCount, views.stream().map(RuntimeReader::listener).toList());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading the runtime view failed: " + cause(e), e);
        } finally {
            context.ungetService(refs[0]);
        }
    }

    /** The runtime view at one moment. */
    record View(long changeCount, List<Listener> listeners) {
    }

    private static Listener listener(Object v) {
        Counters counters = new Counters(number(v, "openConnections"), number(v, "accepted"), number(v, "rejected"), number(v, "errors"),
                number(v, "drained"), number(v, "timedOut"), number(v, "overdue"), number(v, "tlsFailures"), number(v, "bytesIn"),
                number(v, "bytesOut"), handlerTimes(v));
        List<String> policies = ((List<?>) get(v, "policies", List.of())).stream().map(String::valueOf).toList();
        return new Listener(text(v, "name"), text(v, "endpoint"), text(v, "state"), revision(get(v, "handler", null)),
                revisions(get(v, "shadowed", List.of())), revisions(get(v, "draining", List.of())), text(v, "concurrency"), policies,
                counters, text(v, "failure"), text(v, "reason"));
    }

    /** The view's duration buckets with their bounds (a static field of the view's class); null from an older view. */
    private static HandlerTimes handlerTimes(Object v) {
        List<?> counts = (List<?>) get(v, "handlerTimes", List.of());
        if (counts.isEmpty()) {
            return null;
        }
        try {
            List<?> bounds = (List<?>) v.getClass().getField("HANDLER_TIME_BOUNDS").get(null);
            return new HandlerTimes(bounds.stream().map(b -> ((Number) b).doubleValue()).toList(),
                    counts.stream().map(c -> ((Number) c).longValue()).toList());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Revision> revisions(Object list) {
        return ((List<?>) list).stream().map(RuntimeReader::revision).toList();
    }

    private static Revision revision(Object h) {
        if (h == null) {
            return null;
        }
        return new Revision(text(h, "name"), text(h, "bundle"), text(h, "version"), number(h, "serviceId"), (int) number(h, "ranking"),
                number(h, "openConnections"));
    }

    private static String text(Object target, String accessor) {
        Object value = get(target, accessor, null);
        return value == null ? null : value.toString(); // enums (state, reason) by their names
    }

    private static long number(Object target, String accessor) {
        return ((Number) get(target, accessor, 0L)).longValue();
    }

    private static Object get(Object target, String accessor, Object absent) {
        Method m;
        try {
            m = target.getClass().getMethod(accessor);
        } catch (NoSuchMethodException e) {
            return absent;
        }
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("reading " + accessor + " of the runtime view failed: " + cause(e), e);
        }
    }

    private static Throwable cause(Throwable e) {
        return e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
    }
}
