package io.portside.server.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;

/**
 * Holds back the endpoints handlers declare themselves until the configurations in {@code deploy/} at the host's
 * start have been applied, so that a handler moved (or given policies) by a {@code .cfg} never binds its built-in
 * default endpoint first, not even for the half second FileInstall takes. A file is applied once ConfigAdmin holds it,
 * a listener configuration once the whiteboard has it, and a handler's own configuration once its service carries it.
 * Bounded: after {@link #LIMIT} the host binds anyway and says which files were still pending.
 */
final class StartupSettling {

    static final Duration LIMIT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final DeployedConfigs deployed;
    private final long deadlineNanos;

    StartupSettling(DeployedConfigs deployed, long nowNanos) {
        this.deployed = deployed;
        this.deadlineNanos = nowNanos + LIMIT.toNanos();
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /**
     * True while handlers' own endpoints must still wait; false once every file is applied or the limit has passed
     * (then one line names the files still pending).
     *
     * @param listenerConfigurations the listener configurations the whiteboard has
     */
    boolean holding(ConfigurationAdmin configAdmin, Collection<Map<String, Object>> listenerConfigurations, Collection<HandlerCandidate> candidates) {
        Set<String> listenerFiles = new HashSet<>();
        listenerConfigurations.forEach(c -> listenerFiles.add(String.valueOf(c.get(DeployedConfigs.FILE_KEY))));
        List<String> pending = pending(configAdmin, listenerFiles, candidates);
        if (pending.isEmpty()) {
            return false;
        }
        if (expired(System.nanoTime())) {
            LOG.log(System.Logger.Level.WARNING, "Configurations {0} in deploy/ were not applied within {1} s of the start; "
                    + "binding handlers'' own endpoints anyway", pending, LIMIT.toSeconds());
            return false;
        }
        return true;
    }

    /**
     * The files not applied yet; empty once everything is in place.
     *
     * @param listenerFiles the {@code felix.fileinstall.filename} of each listener configuration the whiteboard has
     */
    List<String> pending(ConfigurationAdmin configAdmin, Set<String> listenerFiles, Collection<HandlerCandidate> candidates) {
        List<String> pending = new ArrayList<>();
        for (DeployedConfigs.ConfigFile file : deployed.list()) {
            if (!applied(file, configAdmin, listenerFiles, candidates)) {
                pending.add(file.path().getFileName().toString());
            }
        }
        return pending;
    }

    private static boolean applied(DeployedConfigs.ConfigFile file, ConfigurationAdmin configAdmin, Set<String> listenerFiles,
            Collection<HandlerCandidate> candidates) {
        if (ListenerConfig.PID.equals(file.factoryPid())) {
            return listenerFiles.contains(file.fileKey());
        }
        if (configAdmin == null || !inConfigAdmin(file, configAdmin)) {
            return false;
        }
        for (HandlerCandidate c : candidates) {
            Object component = c.property(ComponentConstants.COMPONENT_NAME);
            if (file.pid().equals(component) && !file.fileKey().equals(c.property(DeployedConfigs.FILE_KEY))) {
                return false; // the handler still runs with its built-in properties
            }
        }
        return true;
    }

    private static boolean inConfigAdmin(DeployedConfigs.ConfigFile file, ConfigurationAdmin configAdmin) {
        try {
            return DeployedConfigs.find(configAdmin, file) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
