package io.portside.server.deploy.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

/**
 * Just enough of an OSGi framework for the deploy gate: a {@link BundleContext} with properties, a data folder, and
 * bundles that are installed, started, updated and uninstalled from the jar bytes they are given (a bundle whose
 * manifest says {@code X-Fail-Start: true} fails to start, like one that cannot resolve). The files stay real.
 */
final class FakeFramework {

    /** One installed bundle: its location and its current manifest identity and state. */
    static final class FakeBundle {
        final long id;
        final String location;
        volatile String symbolicName;
        volatile Version version;
        volatile boolean failStart;
        volatile int state = Bundle.INSTALLED;
        volatile int updates;

        FakeBundle(long id, String location) {
            this.id = id;
            this.location = location;
        }

        void load(InputStream in) throws BundleException {
            try (JarInputStream jar = new JarInputStream(in)) {
                Manifest m = jar.getManifest();
                symbolicName = m.getMainAttributes().getValue("Bundle-SymbolicName");
                version = Version.parseVersion(m.getMainAttributes().getValue("Bundle-Version"));
                failStart = "true".equals(m.getMainAttributes().getValue("X-Fail-Start"));
            } catch (IOException | RuntimeException e) {
                throw new BundleException("cannot read the bundle: " + e);
            }
        }
    }

    private final Map<String, String> properties = new HashMap<>();
    private final Path data;
    /** By location; read by the test while the gate's re-check thread installs. */
    final Map<String, FakeBundle> bundles = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private long nextId = 1;

    FakeFramework(Path data, Map<String, String> properties) {
        this.data = data;
        this.properties.putAll(properties);
    }

    BundleContext context() {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "getProperty" -> properties.get((String) args[0]);
            case "getDataFile" -> data.resolve((String) args[0]).toFile();
            case "getBundle" -> args != null && args[0] instanceof String location && bundles.containsKey(location)
                    ? bundle(bundles.get(location)) : null;
            case "installBundle" -> install((String) args[0], (InputStream) args[1]);
            case "toString" -> "FakeFramework";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, h);
    }

    private synchronized Bundle install(String location, InputStream in) throws BundleException {
        FakeBundle b = new FakeBundle(nextId++, location);
        b.load(in);
        bundles.put(location, b);
        return bundle(b);
    }

    private Bundle bundle(FakeBundle b) {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "getBundleId" -> b.id;
            case "getLocation" -> b.location;
            case "getSymbolicName" -> b.symbolicName;
            case "getVersion" -> b.version;
            case "getState" -> b.state;
            case "start" -> {
                if (b.failStart) {
                    b.state = Bundle.INSTALLED;
                    throw new BundleException("Unable to resolve " + b.symbolicName + ": missing requirement no.such.package");
                }
                b.state = Bundle.ACTIVE;
                yield null;
            }
            case "update" -> {
                b.load(args == null ? new ByteArrayInputStream(new byte[0]) : (InputStream) args[0]);
                b.updates++;
                b.state = Bundle.INSTALLED;
                yield null;
            }
            case "uninstall" -> {
                bundles.remove(b.location);
                b.state = Bundle.UNINSTALLED;
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> b.symbolicName + " " + b.version;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class}, h);
    }
}
