package io.portside.server.exitguard.internal;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.weaving.WeavingException;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The weaving hook that keeps handler code from stopping the host: as each class of a guarded bundle loads, its calls
 * to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} become a throw of {@code ServerExit}
 * ({@link ExitCallRewriter}). The first class a bundle revision loads triggers a {@link BundleSurvey}, so the log
 * names the bundle once with its total. A class it cannot check is refused, not loaded unchecked.
 */
final class ExitGuard implements WeavingHook {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    /** server-core: its classes load while the hook runs, and must not come back into it (Felix: "Cycle detected"). */
    private final long own;
    private final Set<BundleRevision> surveyed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    ExitGuard(Bundle own) {
        this.own = own.getBundleId();
    }

    @Override
    public void weave(WovenClass woven) {
        BundleWiring wiring = woven.getBundleWiring();
        Bundle bundle = wiring.getBundle();
        if (bundle.getBundleId() == own || !GuardedBundles.isGuarded(bundle)) {
            return;
        }
        if (surveyed.add(wiring.getRevision())) {
            BundleSurvey.logExitCalls(wiring);
        }
        String label = GuardedBundles.label(bundle);
        ExitCallRewriter.Result result;
        try {
            result = ExitCallRewriter.rewrite(woven.getBytes(), label);
        } catch (RuntimeException e) { // UnguardableClassException, or a failure of ASM itself
            String problem = e instanceof UnguardableClassException ? e.getMessage() : e.toString();
            String why = "Bundle " + label + ": refused to load class " + woven.getClassName()
                    + ": it cannot be checked for System.exit/Runtime.exit/halt calls (" + problem + ")";
            LOG.log(Level.WARNING, why);
            // Fails this class load only. Any other exception would also make the framework drop the hook for good.
            throw new WeavingException(why, e);
        }
        if (result.rewritten() > 0) {
            woven.setBytes(result.bytes());
            woven.getDynamicImports().add(RefusalMethod.API_PACKAGE);
        }
    }
}
