package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * An embedded Felix with the runtime bundles (handler API, server core, SCR, ConfigAdmin, FileInstall, Gogo)
 * installed from the launcher jar, and FileInstall watching {@code <home>/deploy}. The same class serves
 * {@link Main} and the integration tests.
 */
public final class Host implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.portside.launcher");
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";
    private static final long GATE_TIMEOUT_NANOS = 30_000_000_000L;

    private final Framework framework;
    private final Path home;
    /** The thread running the drain-before-stop hooks, while it does, and whether it was cut short; guarded by {@code this}. */
    private Thread draining;
    private boolean drainSkipped;

    private Host(Framework framework, Path home) {
        this.framework = framework;
        this.home = home;
    }

    /**
     * Starts a host. {@code overrides} are framework properties, e.g. {@code felix.fileinstall.poll=100} or
     * {@code portside.seed.samples=false}.
     */
    public static Host start(Path home, Map<String, String> overrides) throws IOException, BundleException {
        // Handler bundles import only the handler API and cannot read framework properties; the home is published
        // as a system property too (the file-transfer sample serves <home>/files by default).
        System.setProperty("portside.home", home.toString());
        try {
            HomeFolders.prepare(home);
        } catch (HomeFolders.UnsafeHomeException e) {
            LOG.log(Level.ERROR, "Refusing to start: {0}", e.getMessage());
            throw e;
        }
        boolean seed = !"false".equals(overrides.getOrDefault("portside.seed.samples", System.getProperty("portside.seed.samples")));
        DeployFolder.prepare(home.resolve("deploy"), seed);

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(FrameworkProperties.of(home, Terminal.isInteractive(), overrides));
        framework.init();
        try {
            HomeFolders.restrict(home.resolve("felix-cache")); // Felix has just recreated it, with the umask's mode
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (EmbeddedJars.Jar jar : EmbeddedJars.list("bundles")) {
                try (InputStream in = jar.open()) {
                    installed.add(context.installBundle("portside:bundles/" + jar.name(), in));
                }
            }
            framework.start();
            Bundle fileInstall = null;
            for (Bundle b : installed) {
                if (FILE_INSTALL.equals(b.getSymbolicName())) {
                    fileInstall = b;
                } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            LogConfiguration.register(context); // before FileInstall reads deploy/io.portside.logging.cfg
            // FileInstall starts last, once the deploy gate stands: nothing in deploy/ may get in around it.
            awaitDeployGate(context);
            if (fileInstall != null) {
                fileInstall.start();
            }
        } catch (IOException | BundleException | RuntimeException e) {
            stopQuietly(framework);
            throw e;
        }
        LOG.log(Level.INFO, "Portside host started: home {0}, deploy folder {1}", home, home.resolve("deploy"));
        return new Host(framework, home);
    }

    /**
     * Waits until server-core's deploy gate (the FileInstall installer that checks who may deploy) is registered and
     * active; without it, FileInstall would install jars by itself, so the host refuses to start.
     */
    private static void awaitDeployGate(BundleContext context) throws BundleException {
        long deadline = System.nanoTime() + GATE_TIMEOUT_NANOS;
        do {
            try {
                ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(portside.deploy=gate)");
                if (refs != null) {
                    // Held, not released, for the host's life: the gate is a delayed component, made once.
                    if (context.getService(refs[0]) != null) {
                        return;
                    }
                    break; // registered, but its activation failed (SCR has logged why)
                }
                Thread.sleep(10);
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() - deadline < 0);
        throw new BundleException("the deploy gate of server-core did not start, so nothing could be deployed safely");
    }

    public Path home() {
        return home;
    }

    public Path deployFolder() {
        return home.resolve("deploy");
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Runs {@code action} once the framework has stopped for any reason (e.g. {@code stop 0} in the shell). */
    void onFrameworkStopped(Runnable action) {
        Thread watcher = new Thread(() -> {
            try {
                framework.waitForStop(0);
            } catch (InterruptedException e) {
                return;
            }
            action.run();
        }, "portside-framework-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Stops every listener (each gets its grace period) and the framework; first, if a health agent is configured, lets
     * it report drain for its {@code stop.drain} while everything still serves.
     */
    public void stop() {
        if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
            LOG.log(Level.INFO, "Portside host stopping");
            runStopHooks();
        }
        stopQuietly(framework);
    }

    /**
     * Runs server-core's drain-before-stop hooks: {@link Runnable} services with {@code portside.stop=drain} (a type
     * the launcher and the bundles share), each returning when the host may stop. None is registered without an agent.
     */
    private void runStopHooks() {
        synchronized (this) {
            draining = Thread.currentThread();
        }
        try {
            BundleContext context = framework.getBundleContext();
            for (ServiceReference<Runnable> ref : context.getServiceReferences(Runnable.class, "(portside.stop=drain)")) {
                Runnable hook = context.getService(ref);
                if (hook != null) {
                    try {
                        hook.run();
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) { // a hook's failure must never keep the host from stopping
            LOG.log(Level.WARNING, "A stop hook failed; stopping anyway: {0}", String.valueOf(e));
        } finally {
            synchronized (this) {
                draining = null;
                if (drainSkipped) {
                    Thread.interrupted(); // our own interrupt must not cut short the listeners' grace period as well
                }
            }
        }
    }

    /** Cuts the drain before a stop short (a second SIGTERM or Ctrl-C); the listeners still get their grace period. */
    synchronized void skipDrain() {
        if (draining != null) {
            LOG.log(Level.INFO, "Skipping the rest of the drain");
            drainSkipped = true;
            draining.interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(60_000);
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "Stopping the framework failed: {0}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
