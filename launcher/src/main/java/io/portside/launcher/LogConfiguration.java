package io.portside.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Follows {@code deploy/io.portside.logging.cfg} while the host runs: FileInstall reads the file into ConfigAdmin
 * (through the deploy gate, so the file must be trusted like any other there), and ConfigAdmin hands it to a
 * ManagedService with that PID, registered here, which passes it to {@link LogControl}. Removing the file hands an
 * empty configuration: the start settings return.
 *
 * <p>ConfigAdmin's API is in its bundle, not on the launcher's class path, so the service is a proxy of the bundle's
 * own {@code ManagedService} interface: its one method, {@code updated(Dictionary)}, takes only JDK types.
 */
final class LogConfiguration {

    static final String PID = "io.portside.logging";
    static final String APPLIED = "Logging configuration {0} applied: {1}";
    static final String REFUSED = "Logging configuration {0}: ignoring {1}";

    private static final Logger LOG = Logger.getLogger("io.portside.launcher");
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String MANAGED_SERVICE = "org.osgi.service.cm.ManagedService";

    private LogConfiguration() {
    }

    /** Registers the logging configuration's ManagedService in {@code context}; without ConfigAdmin, says so and carries on. */
    static void register(BundleContext context) {
        try {
            Class<?> managedService = managedServiceClass(context);
            LogControl control = ConsoleLogging.control();
            Object service = Proxy.newProxyInstance(managedService.getClassLoader(), new Class<?>[] {managedService},
                    new Updated(control));
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(Constants.SERVICE_PID, PID);
            context.registerService(MANAGED_SERVICE, service, properties);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Log levels will not follow " + PID + ".cfg: {0}", String.valueOf(e));
        }
    }

    private static Class<?> managedServiceClass(BundleContext context) throws ClassNotFoundException {
        for (Bundle b : context.getBundles()) {
            if (CONFIG_ADMIN.equals(b.getSymbolicName())) {
                return b.loadClass(MANAGED_SERVICE);
            }
        }
        throw new ClassNotFoundException(MANAGED_SERVICE + " (no " + CONFIG_ADMIN + " bundle)");
    }

    /** The ManagedService: {@code updated} applies; Object's methods behave as an identity object's. */
    private record Updated(LogControl control) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return switch (method.getName()) {
                case "updated" -> {
                    try {
                        control.apply(properties((Dictionary<?, ?>) args[0]));
                    } catch (RuntimeException e) { // ConfigAdmin would only log it less clearly
                        LOG.log(Level.WARNING, REFUSED, new Object[] {PID, "all of it: " + e});
                    }
                    yield null;
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "ManagedService[" + PID + "]";
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
    }

    /** A configuration's properties; {@code null} (no configuration, or it was deleted) is none. */
    static Map<String, Object> properties(Dictionary<?, ?> d) {
        Map<String, Object> out = new HashMap<>();
        if (d != null) {
            for (Enumeration<?> keys = d.keys(); keys.hasMoreElements(); ) {
                Object k = keys.nextElement();
                out.put(String.valueOf(k), d.get(k));
            }
        }
        return out;
    }
}
