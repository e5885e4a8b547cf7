package io.portside.server.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import io.portside.server.metrics.internal.DeployOutcome;
import io.portside.server.metrics.internal.DeployOutcome.Counts;

/**
 * Installs, updates and uninstalls the handler jars of the deploy folder in FileInstall's place, for the
 * {@link DeployGate} once it has found a jar trusted (FileInstall asks registered installers before its own bundle
 * handling). The difference is safety: a jar is checked before it touches the running bundle, so a corrupt or
 * truncated copy is reported in one line and the old revision keeps serving; and if a checked update still fails to
 * start, the last good jar is put back.
 */
final class JarDeployer implements ArtifactInstaller {

    private static final System.Logger LOG = System.getLogger("io.portside.deploy");

    private final BundleContext context;
    private final Path lastGood;

    JarDeployer(BundleContext context) throws IOException {
        this.context = context;
        this.lastGood = Files.createDirectories(context.getDataFile("last-good").toPath());
    }

    static boolean handles(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    @Override
    public boolean canHandle(File artifact) {
        return handles(artifact);
    }

    @Override
    public void install(File artifact) {
        JarCheck.Result check = JarCheck.check(artifact);
        if (!check.ok()) {
            LOG.log(Level.WARNING, "Not deploying {0}: {1}", artifact.getName(), check.problem());
            Counts.count(DeployOutcome.REFUSED);
            return;
        }
        Bundle existing = bundleAt(artifact);
        if (existing != null) {
            update(artifact);
            return;
        }
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            Bundle bundle = context.installBundle(location(artifact), in);
            keepLastGood(artifact, bundle);
            bundle.start();
            LOG.log(Level.INFO, "Deployed {0}: {1} {2}", artifact.getName(), check.symbolicName(), check.version());
            Counts.count(DeployOutcome.DEPLOYED);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot deploy {0} ({1} {2}): {3}", artifact.getName(), check.symbolicName(), check.version(), e.getMessage());
            Counts.count(DeployOutcome.FAILED);
        }
    }

    @Override
    public void update(File artifact) {
        Bundle bundle = bundleAt(artifact);
        if (bundle == null) {
            install(artifact);
            return;
        }
        JarCheck.Result check = JarCheck.check(artifact);
        if (!check.ok()) {
            LOG.log(Level.WARNING, "Not updating {0}: {1}; {2} {3} keeps serving", artifact.getName(), check.problem(),
                    bundle.getSymbolicName(), bundle.getVersion());
            Counts.count(DeployOutcome.REFUSED);
            return;
        }
        String from = bundle.getSymbolicName() + " " + bundle.getVersion();
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            bundle.update(in);
            bundle.start();
            keepLastGood(artifact, bundle);
            LOG.log(Level.INFO, "Updated {0}: {1} -> {2} {3}", artifact.getName(), from, check.symbolicName(), check.version());
            Counts.count(DeployOutcome.UPDATED);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Update of {0} to {1} {2} failed ({3}); restoring {4}", artifact.getName(), check.symbolicName(),
                    check.version(), e.getMessage(), from);
            Counts.count(DeployOutcome.FAILED);
            restore(bundle, artifact);
        }
    }

    @Override
    public void uninstall(File artifact) {
        Bundle bundle = bundleAt(artifact);
        if (bundle == null) {
            return;
        }
        String what = bundle.getSymbolicName() + " " + bundle.getVersion();
        try {
            bundle.uninstall();
            Files.deleteIfExists(lastGoodCopy(bundle));
            LOG.log(Level.INFO, "Undeployed {0}: {1}", artifact.getName(), what);
            Counts.count(DeployOutcome.UNDEPLOYED);
        } catch (BundleException | IOException | IllegalStateException e) {
            LOG.log(Level.WARNING, "Cannot undeploy {0}: {1}", artifact.getName(), e.getMessage());
            Counts.count(DeployOutcome.FAILED);
        }
    }

    private void restore(Bundle bundle, File artifact) {
        Path copy = lastGoodCopy(bundle);
        if (!Files.exists(copy)) {
            return;
        }
        try (InputStream in = Files.newInputStream(copy)) {
            bundle.update(in);
            bundle.start();
            LOG.log(Level.INFO, "Restored {0}: {1} {2} serves again", artifact.getName(), bundle.getSymbolicName(), bundle.getVersion());
            Counts.count(DeployOutcome.RESTORED);
        } catch (BundleException | IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "Cannot restore {0}: {1}", artifact.getName(), e.getMessage());
        }
    }

    private void keepLastGood(File artifact, Bundle bundle) throws IOException {
        Files.copy(artifact.toPath(), lastGoodCopy(bundle), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path lastGoodCopy(Bundle bundle) {
        return lastGood.resolve(bundle.getBundleId() + ".jar");
    }

    private Bundle bundleAt(File artifact) {
        return context.getBundle(location(artifact));
    }

    private static String location(File artifact) {
        return artifact.toURI().normalize().toString();
    }
}
