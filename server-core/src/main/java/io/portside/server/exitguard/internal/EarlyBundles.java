package io.portside.server.exitguard.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Deploy-folder bundles that resolved before the exit guard was registered (FileInstall may scan the folder before
 * server-core has started) may have loaded classes unwoven; a refresh loads them again, through the guard. Only
 * bundles from the deploy folder are refreshed: nothing the host itself depends on can be caught in the cascade.
 */
final class EarlyBundles {

    private static final System.Logger LOG = System.getLogger("io.portside.host");
    private static final int LOADED = Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private EarlyBundles() {
    }

    static void refresh(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        if (dir == null) {
            return;
        }
        Path deploy = Path.of(dir).toAbsolutePath().normalize();
        List<Bundle> early = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (GuardedBundles.isGuarded(b) && (b.getState() & LOADED) != 0 && isIn(deploy, b.getLocation())) {
                early.add(b);
            }
        }
        if (early.isEmpty()) {
            return;
        }
        LOG.log(Level.INFO, "Exit guard: refreshing {0}, deployed before the guard was in place, so that its classes load checked",
                early.stream().map(GuardedBundles::label).toList());
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(early);
    }

    /** True for a {@code file:} location inside {@code deploy}. */
    static boolean isIn(Path deploy, String location) {
        try {
            URI uri = URI.create(location);
            return "file".equals(uri.getScheme()) && Path.of(uri).toAbsolutePath().normalize().startsWith(deploy);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }
}
