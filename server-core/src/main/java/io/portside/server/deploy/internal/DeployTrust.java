package io.portside.server.deploy.internal;

import java.nio.file.Path;

/**
 * The trust of a deploy folder and of the files in it. A folder is trusted when it and every folder above it up to
 * the host's home pass {@link TrustCheck} (whoever can write the home can swap the deploy folder); a file when its
 * folder is, and it passes the check itself.
 */
public final class DeployTrust {

    private final TrustCheck check;
    private final Path home;

    /** {@code home} may be null (FileInstall outside a Portside host): then only the folder itself counts. */
    DeployTrust(TrustCheck check, Path home) {
        this.check = check;
        this.home = home == null ? null : home.toAbsolutePath().normalize();
    }

    /** The trust rules of this host: its user, and the home its deploy folder lives in. */
    public static DeployTrust forHost(org.osgi.framework.BundleContext context) {
        String home = context.getProperty("portside.home");
        return new DeployTrust(new TrustCheck(DeployGate.hostUid(context)), home == null ? null : Path.of(home));
    }

    /**
     * True when {@code file} and its folders pass; whatever applies a deploy file outside FileInstall (the host's
     * convergence on deploy/) must ask, so that nothing bypasses the gate.
     */
    public boolean trusted(Path file) {
        return file(file) == null;
    }

    /** Null when {@code folder} may decide what runs, else the first untrusted folder and why. */
    Finding folder(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        Finding found = check.check(f);
        if (found != null || home == null || !f.startsWith(home)) {
            return found;
        }
        for (Path p = f.getParent(); p != null && p.startsWith(home); p = p.getParent()) {
            found = check.check(p);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Null when {@code file} may be deployed, else the first untrusted path (its folders first) and why. */
    Finding file(Path file) {
        Path f = file.toAbsolutePath().normalize();
        Finding found = folder(f.getParent());
        return found != null ? found : check.check(f);
    }

    /** Null when this one path passes the check (for re-checking a path reported earlier). */
    Finding path(Path path) {
        return check.check(path);
    }
}
