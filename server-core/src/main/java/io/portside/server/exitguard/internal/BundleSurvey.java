package io.portside.server.exitguard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.util.Collection;

import org.osgi.framework.wiring.BundleWiring;

/**
 * Counts the exit calls in all the classes of a bundle revision (its jar, fragments and embedded class path), so that
 * the host logs one line per bundle rather than one per class as they load.
 */
final class BundleSurvey {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private BundleSurvey() {
    }

    /** Never throws: an exception from a weaving hook would make the framework drop the hook. */
    static void logExitCalls(BundleWiring wiring) {
        int calls = 0;
        try {
            Collection<String> classes = wiring.listResources("/", "*.class", BundleWiring.LISTRESOURCES_RECURSE | BundleWiring.LISTRESOURCES_LOCAL);
            for (String name : classes) {
                if (!name.startsWith("META-INF/")) {
                    calls += count(wiring, name);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Exit call survey of {0} failed: {1}", GuardedBundles.label(wiring.getBundle()), e.toString());
        }
        if (calls > 0) {
            LOG.log(Level.WARNING, "Bundle {0}: rewrote {1} {2} to System.exit/Runtime.exit/halt into ServerExit "
                    + "(a handler cannot stop the host)", GuardedBundles.label(wiring.getBundle()), calls, calls == 1 ? "call" : "calls");
        }
    }

    /** The exit calls in one class; 0 for one that cannot be read here (loading it reports it). */
    private static int count(BundleWiring wiring, String name) {
        URL url = wiring.getClassLoader().getResource(name);
        if (url == null) {
            return 0;
        }
        try (InputStream in = url.openStream()) {
            return ExitCallRewriter.count(in.readAllBytes());
        } catch (IOException | UnguardableClassException e) {
            LOG.log(Level.DEBUG, "Exit call survey skipped {0}: {1}", name, e.getMessage());
            return 0;
        }
    }
}
