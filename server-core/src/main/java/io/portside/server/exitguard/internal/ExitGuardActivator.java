package io.portside.server.exitguard.internal;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;

/**
 * Registers the {@link ExitGuard} weaving hook as server-core starts: in the activator rather than as a DS component,
 * so it is in service before any of this bundle's components (the deploy-folder installer among them) can install a
 * handler bundle. Deployed bundles that still resolved before it are refreshed ({@link EarlyBundles}).
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class ExitGuardActivator implements BundleActivator {

    private ServiceRegistration<WeavingHook> registration;

    @Override
    public void start(BundleContext context) {
        registration = context.registerService(WeavingHook.class, new ExitGuard(context.getBundle()), null);
        EarlyBundles.refresh(context);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
