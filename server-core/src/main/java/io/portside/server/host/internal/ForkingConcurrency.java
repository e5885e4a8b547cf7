package io.portside.server.host.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.server.BaseServer;
import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.HandlerClass;
import io.portside.server.forking.internal.ScratchFolders;

/**
 * A listener's forking model. Workers run the handler bundle's own classes: each handler revision's bundle content is
 * copied into a jar ({@link BundleImages}) and a worker loads the service object's class from it by name (a public or
 * package-private class with a no-arg constructor; DS injection and activation do not happen in a worker). Workers get
 * handler-api and server-core, copied the same way, on their class path.
 *
 * <p>Each request runs in a worker of the revision it was pinned to at accept: workers are pooled per revision, and a
 * swap retires the old revision's pool (its idle workers exit; busy ones finish their connection and exit) while the
 * new revision's spares start. A request in flight on a worker is tracked on its revision like a threaded one, so the
 * drain deadline and the listener's close end it (by stopping its worker).
 */
final class ForkingConcurrency implements HostedConcurrency {

    private static final System.Logger LOG = System.getLogger("io.portside.host");
    private static final AtomicInteger REVISIONS = new AtomicInteger();

    private final Listener listener;
    private final ForkingSettings settings;
    private final Path directory;
    private final ForkingModel model;
    private final Map<HandlerRevision, HandlerClass> images = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Revisions seen retired at an activation; guarded by the whiteboard thread, which activates. */
    private final java.util.Set<HandlerRevision> retired = ConcurrentHashMap.newKeySet();

    ForkingConcurrency(Listener listener, ForkingSettings settings) {
        this.listener = listener;
        this.settings = settings;
        try {
            directory = ScratchFolders.create("classes");
            List<Path> classPath = new ArrayList<>(BundleImages.snapshot(BaseRequestHandler.class, directory, "handler-api"));
            classPath.addAll(BundleImages.snapshot(ForkingConcurrency.class, directory, "server-core"));
            model = new ForkingModel(settings.options(classPath), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the class path of worker processes", e);
        }
        HandlerRevision active = listener.active();
        if (active != null) {
            activated(active);
        }
    }

    /**
     * {@code revision} now gets new requests: its spare workers start, and every other revision's pool is retired
     * (requests still pinned to one are served by it). Images of revisions retired earlier and idle since are deleted.
     */
    @Override
    public void activated(HandlerRevision revision) {
        BaseServer<?> server = listener.server();
        if (server == null) {
            return;
        }
        model.attach(server);
        HandlerClass image = null; // a protocol runs in the host, on the listener's loops: no worker of its own
        if (!revision.protocol()) {
            try {
                image = imageOf(revision);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Listener {0}: handler {1} cannot run in worker processes: {2}", listener.spec().name(),
                        revision.candidate(), e.getMessage());
                return;
            }
        }
        for (Map.Entry<HandlerRevision, HandlerClass> e : new ArrayList<>(images.entrySet())) {
            HandlerRevision other = e.getKey();
            if (other == revision) {
                continue;
            }
            model.retire(e.getValue());
            // Keep a retired revision's classes until the activation after its retirement: a request pinned to it just
            // before the swap may still need a worker started for it.
            if (!retired.add(other) && other.openCount() == 0) {
                images.remove(other);
                retired.remove(other);
                deleteQuietly(e.getValue().classPath().get(0).getParent());
            }
        }
        if (image != null) {
            model.prestart(image);
        }
    }

    private HandlerClass imageOf(HandlerRevision revision) {
        return images.computeIfAbsent(revision, r -> {
            Class<?> type = r.candidate().factory().getClass();
            try {
                type.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("its service class " + type.getName() + " has no no-arg constructor, which a worker needs");
            }
            String name = r.candidate().bundleName() + "-" + r.candidate().bundleVersion();
            try {
                return new HandlerClass(type.getName(), BundleImages.snapshot(type, directory.resolve("revision-" + REVISIONS.incrementAndGet()), name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the classes of " + r.candidate(), e);
            }
        });
    }

    /**
     * Sends the connection to a worker of the revision it is pinned to. What a worker process cannot do for it (a
     * deferred policy check, the wait for a revision in the gap) is settled here first.
     */
    @Override
    public void dispatch(Connection c) {
        c.readNothingAhead(); // its descriptor goes to a worker: nothing may be read ahead of the handler here
        ConnectionPipeline pipeline = listener.pipeline();
        if (pipeline.readsBeforeHandOver(c)) { // the PROXY header is read here, never on the accepting thread
            pipeline.onItsOwnThread(c, () -> handOver(c));
        } else {
            handOver(c);
        }
    }

    private void handOver(Connection c) {
        HandlerRevision revision = listener.pipeline().settleForHandOver(c);
        if (revision == null) {
            return; // stopped and ended by the pipeline
        }
        if (revision.protocol()) { // became active in the gap: served in the host, as protocols always are
            listener.pipeline().serveByProtocolHere(c, revision);
            return;
        }
        HandlerClass image;
        try {
            image = imageOf(revision);
        } catch (RuntimeException e) {
            throw new RejectedExecutionException("handler " + revision.candidate() + " cannot run in worker processes: " + e.getMessage(), e);
        }
        revision.opened(c); // counted, and closed at a drain deadline by stopping its worker
        c.handingOver();
        try {
            c.servedBy(model.transfer(c, image));
        } catch (RejectedExecutionException e) {
            throw e; // the pipeline's refusal ends it (and its count on the revision)
        } catch (RuntimeException e) {
            throw new RejectedExecutionException("cannot hand the connection to a worker: " + e, e);
        }
    }

    @Override
    public int activeCount() {
        return model.activeCount();
    }

    @Override
    public int busyWorkers() {
        return model.activeCount();
    }

    @Override
    public int idleWorkers() {
        return model.idleCount();
    }

    /** Stops taking requests: idle workers exit, busy ones after their request; the listener drains the rest. */
    @Override
    public void close() {
        closed = true;
        model.close();
        Thread.ofVirtual().name("portside-forking-cleanup").start(() -> {
            model.awaitTermination(null);
            deleteQuietly(directory);
        });
    }

    /**
     * Waits up to {@code limit} for every worker to have exited; once they have and the model is closed, deletes the
     * copied classes at once (the listener's close calls this; a host that exits next must not leave them behind).
     */
    @Override
    public boolean awaitTermination(Duration limit) {
        boolean done = model.awaitTermination(limit);
        if (done && closed) {
            deleteQuietly(directory);
        }
        return done;
    }

    @Override
    public String toString() {
        return settings.toString();
    }

    /** Deletes a tree; never throws, also when another thread deletes it at the same time. */
    static void deleteQuietly(Path root) {
        ScratchFolders.deleteTree(root); // what is left is deleted at the next start
    }
}
