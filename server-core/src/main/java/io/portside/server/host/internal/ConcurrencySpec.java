package io.portside.server.host.internal;

import java.util.Map;

import io.portside.handler.api.Concurrency;
import io.portside.server.concurrency.BoundedPool;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.ThreadPerRequest;
import io.portside.server.concurrency.VirtualThreadPerRequest;
import io.portside.server.forking.ForkingModel;

/**
 * A listener's concurrency choice, as configured. Hosted models do not block the listener's close on running
 * requests: the listener drains them itself, with a deadline.
 */
record ConcurrencySpec(Concurrency kind, int poolSize, int poolQueue, int threadingMax, ForkingSettings forking) {

    static final int DEFAULT_POOL_SIZE = ListenerConfig.POOL_SIZE.defaultValue();
    static final int DEFAULT_POOL_QUEUE = ListenerConfig.POOL_QUEUE.defaultValue();
    static final int DEFAULT_THREADING_MAX = ListenerConfig.THREADING_MAX.defaultValue();

    /** Every knob at its default: what an implicit listener has, and the model a handler declares gets. */
    static final ConcurrencySpec DEFAULT_KNOBS = new ConcurrencySpec(Concurrency.VIRTUAL, DEFAULT_POOL_SIZE, DEFAULT_POOL_QUEUE,
            DEFAULT_THREADING_MAX, ForkingSettings.DEFAULTS);

    /**
     * A configuration's {@code pool.*}, {@code threading.max} and {@code forking.*} values, whatever model it names or
     * leaves to the handler: {@link #forKind} applies them to the model the listener ends up with.
     */
    static ConcurrencySpec knobs(Map<String, ?> props) {
        return new ConcurrencySpec(Concurrency.VIRTUAL, ListenerConfig.POOL_SIZE.from(props), ListenerConfig.POOL_QUEUE.from(props),
                ListenerConfig.THREADING_MAX.from(props), ForkingSettings.of(props));
    }

    /**
     * The model {@code kind} (empty or null: virtual) with these knobs. Knobs of other models are kept at their
     * defaults, so changing one never replaces a running model for nothing.
     */
    ConcurrencySpec forKind(String kind) {
        Concurrency c = kind == null || kind.isBlank() ? Concurrency.VIRTUAL : Concurrency.of(kind);
        if (c == Concurrency.FORKING) {
            try {
                ForkingModel.requireAvailable();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new ConcurrencySpec(c, poolSize, poolQueue, c == Concurrency.THREADING ? threadingMax : DEFAULT_THREADING_MAX,
                c == Concurrency.FORKING ? forking : ForkingSettings.DEFAULTS);
    }

    /** A new model of this kind for {@code listener} (forking workers run the listener's handler revisions). */
    HostedConcurrency create(Listener listener) {
        String name = listener.spec().name(); // request threads carry it: see the launcher's log limiter
        return switch (kind) {
            case SYNC -> new InProcessConcurrency(ConcurrencyModel.synchronous());
            case THREADING -> new InProcessConcurrency(new ThreadPerRequest(true, false, name, threadingMax));
            case POOL -> new InProcessConcurrency(new BoundedPool(poolSize, poolQueue, false, name));
            case VIRTUAL -> {
                HostedConcurrency threads = new InProcessConcurrency(new VirtualThreadPerRequest(false, name));
                // a datagram is served by the thread that received it, unless that thread is held (docs/performance.md)
                yield listener.spec().endpoint().transport().isStream() ? threads : new InlineDatagrams(threads);
            }
            case FORKING -> new ForkingConcurrency(listener, forking);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case POOL -> "pool(" + poolSize + ", queue " + poolQueue + ")";
            // The bound shows only when it is not the default: "threading" alone says it has the default.
            case THREADING -> threadingMax == DEFAULT_THREADING_MAX ? kind.id() : "threading(max " + threadingMax + ")";
            case FORKING -> forking.toString();
            default -> kind.id();
        };
    }
}
