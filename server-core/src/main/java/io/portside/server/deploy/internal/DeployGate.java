package io.portside.server.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The one way into the host from the deploy folder: FileInstall offers every jar and configuration here first (the
 * highest ranking), and only what comes from a trusted folder and file ({@link DeployTrust}) reaches the
 * {@link JarDeployer} or FileInstall's own configuration installer. An untrusted change is withheld (claimed, not
 * applied: FileInstall then leaves it alone) and said once; the folder and every withheld change are re-checked at each
 * poll, so fixing the permissions deploys them without a restart, and a folder that becomes writable by others while
 * running stops deploying at once. Removals wait only for the folder: a removal from an untrusted folder could be an
 * attacker undeploying a policy.
 */
@Component(service = ArtifactInstaller.class, property = {"service.ranking:Integer=200", "portside.deploy=gate"})
public final class DeployGate implements ArtifactInstaller {

    private static final System.Logger LOG = System.getLogger("io.portside.deploy");

    /** What FileInstall asked for a file (a withheld file keeps the latest). */
    private enum Change { INSTALL, UPDATE, REMOVE }

    private final JarDeployer jars;
    private final DeployTrust trust;
    private final List<Path> watched = new ArrayList<>();
    private final FindingLog findings = new FindingLog();
    private final Map<File, Change> withheld = new LinkedHashMap<>(); // guarded by this
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portside-deploy-trust");
        t.setDaemon(true);
        return t;
    });

    /** FileInstall's installer of {@code .cfg} and {@code .config} files (the only installer that is a ConfigurationListener). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(objectClass=org.osgi.service.cm.ConfigurationListener)")
    private volatile ArtifactInstaller configs;

    @Activate
    public DeployGate(BundleContext context) throws IOException {
        this.jars = new JarDeployer(context);
        String home = context.getProperty("portside.home");
        this.trust = DeployTrust.forHost(context);
        String dirs = context.getProperty("felix.fileinstall.dir");
        if (dirs != null) {
            for (String d : dirs.split(",")) {
                watched.add(Path.of(d.trim()));
            }
        }
        long every = pollMillis(context.getProperty("felix.fileinstall.poll"));
        poll.scheduleWithFixedDelay(this::recheck, every, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        poll.shutdownNow();
    }

    @Override
    public boolean canHandle(File artifact) {
        if (JarDeployer.handles(artifact)) {
            return true;
        }
        ArtifactInstaller c = configs;
        return c != null && c.canHandle(artifact);
    }

    @Override
    public void install(File artifact) throws Exception {
        offer(artifact, Change.INSTALL);
    }

    @Override
    public void update(File artifact) throws Exception {
        offer(artifact, Change.UPDATE);
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        offer(artifact, Change.REMOVE);
    }

    private synchronized void offer(File artifact, Change change) throws Exception {
        findings.recheck(trust);
        Finding finding = findingFor(artifact, change);
        if (finding == null) {
            withheld.remove(artifact);
            apply(artifact, change);
        } else {
            withheld.put(artifact, change);
            findings.refused(subject(artifact, finding), finding);
        }
    }

    /** Each poll: say when a watched folder turns untrusted or trusted again, and apply withheld changes now trusted. */
    private synchronized void recheck() {
        try {
            findings.recheck(trust);
            for (Path folder : watched) {
                Finding f = trust.folder(folder);
                if (f != null) {
                    findings.refused("from " + folder.toAbsolutePath().normalize(), f);
                }
            }
            for (Map.Entry<File, Change> e : new ArrayList<>(withheld.entrySet())) {
                File artifact = e.getKey();
                if (e.getValue() != Change.REMOVE && !artifact.exists()) {
                    withheld.remove(artifact); // FileInstall reports the removal next
                    continue;
                }
                if (findingFor(artifact, e.getValue()) == null) {
                    withheld.remove(artifact);
                    try {
                        apply(artifact, e.getValue());
                    } catch (Exception failure) {
                        LOG.log(Level.WARNING, "Cannot apply {0}: {1}", artifact, String.valueOf(failure));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Re-checking the deploy folder failed: {0}", String.valueOf(e));
        }
    }

    private Finding findingFor(File artifact, Change change) {
        return change == Change.REMOVE ? trust.folder(artifact.toPath().getParent()) : trust.file(artifact.toPath());
    }

    private void apply(File artifact, Change change) throws Exception {
        ArtifactInstaller installer = JarDeployer.handles(artifact) ? jars : configs;
        if (installer == null) {
            return; // ConfigAdmin went away: there is nothing to configure
        }
        switch (change) {
            case INSTALL -> installer.install(artifact);
            case UPDATE -> installer.update(artifact);
            case REMOVE -> installer.uninstall(artifact);
        }
    }

    private static String subject(File artifact, Finding finding) {
        Path file = artifact.toPath().toAbsolutePath().normalize();
        return finding.path().equals(file) ? artifact.getName() : "from " + file.getParent();
    }

    static int hostUid(BundleContext context) {
        try {
            return TrustCheck.processUid(context.getDataFile("").toPath());
        } catch (IOException | RuntimeException e) {
            // Fail closed: with no known uid, only root-owned files would pass.
            LOG.log(Level.ERROR, "Cannot tell this host's user ({0}): only root-owned deploy files are trusted", String.valueOf(e));
            return -2;
        }
    }

    private static long pollMillis(String value) {
        try {
            return Math.max(50, value == null ? 2000 : Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 2000;
        }
    }
}
