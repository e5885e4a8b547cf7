package io.portside.server.host.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.portside.server.forking.internal.ScratchFolders;

/**
 * At the host's start, deletes what forking listeners of earlier runs left in {@code <home>/work/forking} because their
 * host was killed (a host that stops in order removes its own), whether or not this run has a forking listener.
 */
@Component(immediate = true, service = {})
public final class ForkingScratchCleanup {

    @Activate
    public ForkingScratchCleanup(BundleContext context) {
        String home = context.getProperty("portside.home");
        if (home != null) {
            Path root = Path.of(home, "work", "forking");
            if (Files.isDirectory(root)) {
                ScratchFolders.deleteStale(root);
            }
        }
    }
}
