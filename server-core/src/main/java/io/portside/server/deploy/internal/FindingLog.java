package io.portside.server.deploy.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says each untrusted path once: one WARNING line when a path is found untrusted (or untrusted for a new reason), one
 * INFO line when it is trusted again, nothing on the polls in between. Not thread-safe: the gate's lock guards it.
 */
final class FindingLog {

    private static final System.Logger LOG = System.getLogger("io.portside.deploy");

    private final Map<Path, Distrust> reported = new HashMap<>();

    /** {@code subject}: what is not deployed, e.g. {@code "from /srv/run/deploy"} or {@code "echo.jar"}. */
    void refused(String subject, Finding finding) {
        if (reported.put(finding.path(), finding.reason()) != finding.reason()) {
            LOG.log(Level.WARNING, "Not deploying {0}: {1}", subject, finding.describe());
        }
    }

    /** Forgets (and reports as fixed) every reported path that now passes; a path that is gone is forgotten quietly. */
    void recheck(DeployTrust trust) {
        List<Path> fixed = new ArrayList<>();
        for (Path p : reported.keySet()) {
            if (!Files.exists(p) || trust.path(p) == null) {
                fixed.add(p);
            }
        }
        for (Path p : fixed) {
            reported.remove(p);
            if (Files.isDirectory(p)) {
                LOG.log(Level.INFO, "{0} is trusted again: the files it holds are deployed", p);
            } else if (Files.exists(p)) {
                LOG.log(Level.INFO, "{0} is trusted again: deploying it", p);
            }
        }
    }
}
