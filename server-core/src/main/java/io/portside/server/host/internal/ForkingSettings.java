package io.portside.server.host.internal;

import java.nio.file.Path;
import java.time.Duration;
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

    /** Every knob at its default: the settings of a configuration that sets none. */
    static final ForkingSettings DEFAULTS = of(Map.of());

    ForkingSettings {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The settings a configuration gives, each missing one at its default; bounds are {@link ListenerConfig}'s. */
    static ForkingSettings of(Map<String, ?> props) {
        return new ForkingSettings(ListenerConfig.FORKING_MAX_CHILDREN.from(props), ListenerConfig.FORKING_MIN_IDLE.from(props),
                ListenerConfig.FORKING_MAX_REQUESTS.from(props), ListenerConfig.FORKING_WAIT.from(props),
                ListenerConfig.FORKING_STARTUP_TIMEOUT.from(props), ListenerConfig.FORKING_JVM_OPTIONS.from(props));
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
