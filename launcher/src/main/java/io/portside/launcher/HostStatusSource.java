package io.portside.launcher;

import java.nio.file.Path;
import java.time.Instant;

import org.osgi.framework.BundleContext;

/** Puts a running host's {@link HostStatus} together: the runtime view, this process's figures, the failure history. */
final class HostStatusSource {

    private final RuntimeReader runtime;
    private final Path home;
    private final long startedNanos = System.nanoTime();
    private final FailureHistory failures = new FailureHistory();

    HostStatusSource(BundleContext context, Path home) {
        this.runtime = new RuntimeReader(context);
        this.home = home;
    }

    /** Looks for new listener failures (called every second, so that short-lived ones are seen too). */
    void observe() {
        failures.observe(runtime.read().listeners(), Instant.now());
    }

    HostStatus now() {
        RuntimeReader.View view = runtime.read();
        failures.observe(view.listeners(), Instant.now());
        return new HostStatus(ProcessHandle.current().pid(), home.toString(), (System.nanoTime() - startedNanos) / 1_000_000,
                view.changeCount(), view.listeners(), HostFigures.now(), failures.recent());
    }
}
