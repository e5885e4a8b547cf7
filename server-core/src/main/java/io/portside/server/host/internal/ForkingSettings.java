package io.portside.server.host.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.portside.server.forking.ForkingOptions;

/**
 * A listener's forking knobs, from its configuration ({@code forking.*}). Hosted forking models never block the
 * listener's close: the listener drains requests itself, with its grace period, as for every other model.
 *
 * @param maxChildren       {@code forking.max.children}: bound on worker processes (Python's {@code max_children})
 * @param minIdle           {@code forking.min.idle}: prestarted idle workers
 * @param requestsPerWorker {@code forking.max.requests}: requests before a worker is recycled; 0 for never
 * @param workerWait        {@code forking.wait}: how long a request may wait for a free worker before it is refused
 * @param startupTimeout    {@code forking.startup.timeout}: how long a worker JVM may take to start
 * @param jvmOptions        {@code forking.jvm.options}: worker JVM options appended to the defaults (space-separated)
 */
record ForkingSettings(int maxChildren, int minIdle, int requestsPerWorker, Duration workerWait, Duration startupTimeout,
        List<String> jvmOptions) {

    static final ForkingSettings DEFAULTS = new ForkingSettings(ForkingOptions.DEFAULT_MAX_CHILDREN, ForkingOptions.DEFAULT_MIN_IDLE, 0,
            ForkingOptions.DEFAULT_WORKER_WAIT, ForkingOptions.DEFAULT_STARTUP_TIMEOUT, List.of());

    ForkingSettings {
        jvmOptions = List.copyOf(jvmOptions);
        if (maxChildren < 1 || minIdle < 0 || requestsPerWorker < 0) {
            throw new IllegalArgumentException("forking.max.children must be >= 1, forking.min.idle and forking.max.requests >= 0 (got "
                    + maxChildren + ", " + minIdle + ", " + requestsPerWorker + ")");
        }
        if (workerWait.isZero() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("forking.wait and forking.startup.timeout must be positive");
        }
    }

    /** The settings a configuration gives, each missing one at its default. */
    static ForkingSettings of(Map<String, Object> props) {
        String options = ListenerSpecs.string(props, "forking.jvm.options");
        return new ForkingSettings(ListenerSpecs.integer(props, "forking.max.children", DEFAULTS.maxChildren),
                ListenerSpecs.integer(props, "forking.min.idle", DEFAULTS.minIdle),
                ListenerSpecs.integer(props, "forking.max.requests", DEFAULTS.requestsPerWorker),
                ListenerSpecs.duration(props, "forking.wait", DEFAULTS.workerWait),
                ListenerSpecs.duration(props, "forking.startup.timeout", DEFAULTS.startupTimeout),
                options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+")));
    }

    /** The model options: these knobs, the worker class path, and no blocking on close. */
    ForkingOptions options(List<Path> workerClassPath) {
        return ForkingOptions.defaults().withMaxChildren(maxChildren).withMinIdle(minIdle).withRequestsPerWorker(requestsPerWorker)
                .withWorkerWait(workerWait).withStartupTimeout(startupTimeout).withExtraJvmOptions(jvmOptions)
                .withBlockOnClose(false).withWorkerClassPath(workerClassPath);
    }

    @Override
    public String toString() {
        return "forking(max " + maxChildren + ", min idle " + minIdle + ")";
    }
}
