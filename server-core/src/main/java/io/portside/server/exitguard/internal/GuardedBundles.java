package io.portside.server.exitguard.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * Which bundles the guard rewrites: every bundle but the host's own. The host's bundles are the system bundle and
 * the runtime bundles the launcher installs from its jar (location {@code portside:bundles/...}); everything else,
 * deployed handlers and policies above all, is guarded.
 */
final class GuardedBundles {

    /** The location prefix of the runtime bundles the launcher installs (launcher {@code Host}). */
    static final String HOST_LOCATION_PREFIX = "portside:bundles/";

    private GuardedBundles() {
    }

    static boolean isGuarded(Bundle bundle) {
        return bundle.getBundleId() != 0 && !bundle.getLocation().startsWith(HOST_LOCATION_PREFIX)
                && !Constants.SYSTEM_BUNDLE_LOCATION.equals(bundle.getLocation());
    }

    /** How messages name a bundle: {@code io.example.bad 1.0.0}. */
    static String label(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return (name == null ? bundle.getLocation() : name) + " " + bundle.getVersion();
    }
}
