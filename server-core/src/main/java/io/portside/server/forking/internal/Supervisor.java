package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.HandlerClass;
import io.portside.server.forking.RunningRequest;
import io.portside.server.internal.ChannelStreamRequest;

/**
 * Keeps the worker processes of one server: a pool per handler class, at most {@code maxChildren} processes in all,
 * {@code minIdle} spares per active pool. Composes the parts: {@link Pools} (state and policy, under one lock),
 * {@link Dispatcher} (jobs to workers), {@link WorkerEvents} (what workers report), {@link WorkerLauncher} (process
 * start and handshake), {@link Wire} (the frames), {@link Timers} and {@link RunFolder}.
 */
public final class Supervisor {

    private final ForkingOptions options;
    private final AtomicLong requestIds = new AtomicLong();
    private final Timers timers = new Timers();
    private final Pools pools;
    private final Dispatcher dispatcher;
    private final WorkerLauncher launcher;
    private final WorkerEvents events;
    private volatile ServerBinding binding;

    public Supervisor(ForkingOptions options) {
        this.options = options;
        RunFolder runFolder = new RunFolder();
        this.pools = new Pools(options, timers, runFolder, new Pools.WorkerFactory() {
            @Override
            public WorkerProcess create(Pool pool) {
                return new WorkerProcess(pool, launcher, events);
            }

            @Override
            public void start(WorkerProcess worker) {
                worker.start();
            }
        });
        this.dispatcher = new Dispatcher(pools, timers, options);
        this.events = new WorkerEvents(pools, dispatcher, options);
        this.launcher = new WorkerLauncher(options, runFolder, () -> binding, pools::isClosed);
    }

    public ForkingOptions options() {
        return options;
    }

    /**
     * Binds the workers to a server: its transport and address, and for a datagram server its socket, whose
     * descriptor every worker gets once to send replies from.
     */
    public void attach(Transport transport, SocketAddress address, SelectableChannel channel) throws IOException {
        ReentrantLock lock = pools.lock();
        lock.lock();
        try {
            if (binding != null) {
                if (!binding.serves(transport, address)) {
                    throw new IllegalStateException("this forking model already serves " + binding + "; make one model per server");
                }
                return;
            }
            binding = ServerBinding.of(transport, address, channel);
            pools.attached();
        } finally {
            lock.unlock();
        }
    }

    public boolean isAttached() {
        return binding != null;
    }

    /** Starts the spare workers of {@code handler} now, so that its first requests do not wait for a JVM. */
    public void prestart(HandlerClass handler) {
        pools.prestart(handler);
    }

    /** No more spares for {@code handler}: idle workers quit now, busy ones after their request. */
    public void retire(HandlerClass handler) {
        pools.retire(handler).forEach(WorkerProcess::quit);
    }

    /**
     * Sends the request to an idle worker of {@code handler}. With none idle and fewer than {@code maxChildren} workers,
     * a worker is started for it and the request waits for it in the pool's queue, while the serve loop goes on
     * accepting (a JVM takes far longer to start than a fork). At the bound the caller waits, as ForkingMixIn's serve
     * loop does, up to {@code workerWait} for a worker to be free. A queued request that no worker takes within
     * {@code workerWait} is refused later ({@link DispatchedRequest#refused}).
     *
     * @throws RejectedExecutionException if the request cannot be taken; it is then untouched
     */
    public RunningRequest transfer(DispatchedRequest request, HandlerClass handler) {
        if (binding == null) {
            attachTo(request); // a forking model given to a plain server that did not attach it first
        }
        long id = requestIds.incrementAndGet();
        FileDescriptor fd = null;
        byte[] frame;
        try {
            if (binding.transport().isStream()) {
                ChannelStreamRequest connection = connectionOf(request.request());
                fd = Descriptors.of(connection.channel());
                frame = Wire.stream(id, request.clientAddress(), connection.limits(), connection.proxyHeaderBytes());
            } else {
                frame = Wire.datagram(id, request.clientAddress(), ((DatagramRequest) request.request()).packet());
            }
        } catch (IOException e) {
            throw new RejectedExecutionException("cannot pass " + request + " to a worker: " + e.getMessage(), e);
        }
        Job job = new Job(dispatcher, pools.pool(handler), request, id, frame, fd, System.nanoTime() + options.workerWait().toNanos());
        dispatcher.submit(job);
        return job;
    }

    private static ChannelStreamRequest connectionOf(Object request) {
        if (!(request instanceof ChannelStreamRequest connection)) {
            throw new IllegalArgumentException("forking needs the server's own connections, not " + request);
        }
        return connection;
    }

    /** Binds to the server that accepted the request, when no one attached this model first. */
    private void attachTo(DispatchedRequest request) {
        try {
            attach(request.server().transport(), request.server().serverAddress(), request.serverChannel());
        } catch (IOException e) {
            throw new RejectedExecutionException("cannot share the server's socket with workers: " + e.getMessage(), e);
        }
    }

    /** Stops taking requests; idle workers quit now, busy ones after their request; waits for all if blockOnClose. */
    public void close() {
        Pools.Closing closing = pools.close();
        closing.refused().forEach(job -> job.refused("server closed"));
        closing.quit().forEach(WorkerProcess::quit);
        closing.kill().forEach(WorkerProcess::kill);
        timers.shutdown();
        if (options.blockOnClose()) {
            awaitTermination(null);
        }
    }

    /** Waits until every worker has exited and been reaped; {@code null} waits without limit. True if none is left. */
    public boolean awaitTermination(Duration limit) {
        return pools.awaitEmpty(limit);
    }

    /** Kills every worker at once (the server is going away and cannot wait for requests). */
    public void killAll() {
        pools.workers().forEach(WorkerProcess::kill);
    }

    /** Requests being served by workers now, plus those waiting for a worker that is starting. */
    public int busyCount() {
        return pools.busyCount();
    }

    /** Workers started and waiting for a request. */
    public int idleCount() {
        return pools.idleCount();
    }

    /** The worker processes alive now (starting, idle, busy or quitting). */
    public List<ProcessHandle> processes() {
        return pools.workers().stream().map(WorkerProcess::handle).filter(Objects::nonNull).toList();
    }
}
