package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.portside.server.deploy.internal.DeployTrust;

/**
 * Makes the running configurations converge on the {@code .cfg} files of the deploy folder. FileInstall reads a
 * changed file once: when that read fails (no file descriptors left, say), it never tries again and the host would
 * run a configuration that differs from the file for ever. Every few seconds this compares each file with its
 * configuration and, when they have differed on two checks in a row, applies the file itself and says so.
 */
@Component(immediate = true, service = {})
public final class ConfigConvergence {

    private static final System.Logger LOG = System.getLogger("io.portside.host");
    static final long PERIOD_MS = 2000;

    private final ConfigurationAdmin configAdmin;
    private final DeployedConfigs deployed;
    private final DeployTrust trust;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portside-config-convergence");
        t.setDaemon(true);
        return t;
    });
    /** Files that differed from their configuration at the last check. */
    private Set<String> differed = new HashSet<>();

    @Activate
    public ConfigConvergence(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        this.deployed = DeployedConfigs.forHost(context);
        this.trust = DeployTrust.forHost(context);
        timer.scheduleWithFixedDelay(this::checkSafely, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void checkSafely() {
        try {
            check();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "Comparing deploy/ with the running configurations failed; trying again: {0}", String.valueOf(e));
        }
    }

    private void check() throws Exception {
        Set<String> now = new HashSet<>();
        long settleMillis = System.currentTimeMillis() - 2 * PERIOD_MS;
        for (DeployedConfigs.ConfigFile file : deployed.list()) {
            if (!trust.trusted(file.path())) {
                continue; // withheld by the deploy gate, which says why: never applied behind its back
            }
            Map<String, String> wanted;
            try {
                if (Files.getLastModifiedTime(file.path()).toMillis() > settleMillis) {
                    continue; // just changed: FileInstall's own poll comes first
                }
                wanted = file.read();
            } catch (IOException unreadableNow) {
                continue;
            }
            if (wanted.values().stream().anyMatch(v -> v.contains("${"))) {
                continue; // FileInstall substitutes ${...}: the file's text is not the configuration's value
            }
            Configuration current = DeployedConfigs.find(configAdmin, file);
            if (current != null && same(wanted, current.getProperties())) {
                continue;
            }
            if (differed.contains(file.fileKey())) {
                apply(file, wanted, current);
            } else {
                now.add(file.fileKey());
            }
        }
        differed = now;
    }

    private void apply(DeployedConfigs.ConfigFile file, Map<String, String> wanted, Configuration current) throws IOException {
        Configuration target = current != null ? current
                : file.factoryPid() != null ? configAdmin.getFactoryConfiguration(file.factoryPid(), file.name(), "?")
                : configAdmin.getConfiguration(file.pid(), "?");
        Dictionary<String, Object> props = new Hashtable<>(wanted);
        props.put(DeployedConfigs.FILE_KEY, file.fileKey());
        target.update(props);
        LOG.log(Level.WARNING, "Configuration {0} differed from the running one (its last read had failed); applied it now: caught up with deploy/",
                file.path().getFileName());
    }

    /** Keys ConfigAdmin, FileInstall and SCR add to a configuration; a file's own keys never start so. */
    private static boolean addedByFramework(String key) {
        return key.startsWith("service.") || key.startsWith("felix.fileinstall.") || key.startsWith("component.");
    }

    /** True if the configuration holds exactly the file's keys and values (ignoring what the framework adds). */
    static boolean same(Map<String, String> wanted, Dictionary<String, Object> actual) {
        if (actual == null) {
            return false;
        }
        Map<String, String> have = new HashMap<>();
        for (Enumeration<String> keys = actual.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (!addedByFramework(k)) {
                have.put(k, String.valueOf(actual.get(k)).trim());
            }
        }
        Map<String, String> want = new HashMap<>(wanted);
        want.keySet().removeIf(ConfigConvergence::addedByFramework);
        return have.equals(want);
    }
}
