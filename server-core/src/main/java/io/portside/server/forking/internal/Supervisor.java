package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.HandlerClass;
import io.portside.server.forking.RunningRequest;
import io.portside.server.forking.WorkerException;
import io.portside.server.internal.ChannelStreamRequest;

/**
 * Keeps the worker processes of one server: a pool per handler class, at most {@code maxChildren} processes in all,
 * {@code minIdle} spares per active pool. Every state change happens under one lock; process starts, sends and reports
 * happen outside it.
 */
public final class Supervisor {

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final ForkingOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<io.portside.server.forking.HandlerClass, Pool> pools = new HashMap<>();
    private final Set<WorkerProcess> workers = new LinkedHashSet<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile Binding binding;
    private volatile boolean closed;
    private Path runDirectory; // guarded by lock
    private ScheduledExecutorService scheduler; // guarded by lock

    /** The server the workers serve: what a worker needs to know of it at start. */
    private record Binding(Transport transport, SocketAddress address, ProtocolFamily family, FileDescriptor shared) {
    }

    public Supervisor(ForkingOptions options) {
        this.options = options;
    }

    public ForkingOptions options() {
        return options;
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ API for ForkingModel

    /**
     * Binds the workers to a server: its transport and address, and for a datagram server its socket, whose
     * descriptor every worker gets once to send replies from.
     */
    public void attach(Transport transport, SocketAddress address, SelectableChannel channel) throws IOException {
        lock.lock();
        try {
            if (binding != null) {
                if (!binding.address().equals(address) || binding.transport() != transport) {
                    throw new IllegalStateException("this forking model already serves " + binding.transport().scheme() + " " + binding.address()
                            + "; make one model per server");
                }
                return;
            }
            FileDescriptor shared = transport.isStream() ? null : Descriptors.of(channel);
            binding = new Binding(transport, address, familyOf(address), shared);
            for (Pool p : pools.values()) {
                topUp(p, true);
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isAttached() {
        return binding != null;
    }

    /** Starts the spare workers of {@code handler} now, so that its first requests do not wait for a JVM. */
    public void prestart(HandlerClass handler) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Pool p = pools.computeIfAbsent(handler, Pool::new);
            p.retired = false;
            topUp(p, true);
        } finally {
            lock.unlock();
        }
    }

    /** No more spares for {@code handler}: idle workers quit now, busy ones after their request. */
    public void retire(HandlerClass handler) {
        List<WorkerProcess> quit = new ArrayList<>();
        lock.lock();
        try {
            Pool p = pools.get(handler);
            if (p == null) {
                return;
            }
            p.retired = true;
            drainIdle(p, quit);
            forgetIfEmpty(p);
        } finally {
            lock.unlock();
        }
        quit.forEach(WorkerProcess::quit);
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
            try {
                attach(request.server().transport(), request.server().serverAddress(), request.serverChannel());
            } catch (IOException e) {
                throw new RejectedExecutionException("cannot share the server's socket with workers: " + e.getMessage(), e);
            }
        }
        Binding b = binding;
        FileDescriptor fd;
        long id = requestIds.incrementAndGet();
        Wire.Frame frame;
        try {
            if (b.transport().isStream()) {
                if (!(request.request() instanceof ChannelStreamRequest connection)) {
                    throw new IllegalArgumentException("forking needs the server's own connections, not " + request.request());
                }
                fd = Descriptors.of(connection.channel());
                frame = new Wire.Frame(Wire.STREAM);
                frame.out.writeLong(id);
                Wire.writeAddress(frame.out, request.clientAddress());
            } else {
                fd = null;
                frame = new Wire.Frame(Wire.DATAGRAM);
                frame.out.writeLong(id);
                Wire.writeAddress(frame.out, request.clientAddress());
                Wire.writeBytes(frame.out, ((DatagramRequest) request.request()).packet());
            }
        } catch (IOException e) {
            throw new RejectedExecutionException("cannot pass " + request + " to a worker: " + e.getMessage(), e);
        }
        Job job = new Job(this, pool(handler), request, id, frame.bytes(), fd, System.nanoTime() + options.workerWait().toNanos());
        for (int attempt = 1; ; attempt++) {
            WorkerProcess worker = assign(job);
            if (worker == null || dispatch(job, worker)) {
                return job; // queued, or sent
            }
            if (attempt == 3) {
                throw new RejectedExecutionException("workers failed to take " + request);
            }
        }
    }

    /**
     * An idle worker, now busy with {@code job}; or null once the job waits in the queue for a starting worker;
     * or, at the bound, the first worker to be free within the job's deadline.
     */
    private WorkerProcess assign(Job job) {
        Pool pool = job.pool;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new RejectedExecutionException("server closed");
                }
                if (pool.broken != null) {
                    throw new RejectedExecutionException("handler " + pool.handler.className() + " cannot start in a worker: " + pool.broken);
                }
                WorkerProcess w = pool.idle.pollLast();
                if (w != null) {
                    busy(w, job);
                    topUp(pool);
                    return w;
                }
                if (pool.starting <= pool.pending.size()) {
                    startOne(pool);
                }
                if (pool.starting > pool.pending.size()) {
                    job.queued = true;
                    pool.pending.addLast(job);
                    job.expiry = scheduler().schedule(() -> expire(job), Math.max(0, job.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    topUp(pool);
                    return null;
                }
                long left = job.deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new RejectedExecutionException("all " + workers.size() + " workers busy for " + options.workerWait().toMillis() + " ms");
                }
                long backoff = pool.nextStartNanos - System.nanoTime();
                changed.awaitNanos(backoff > 0 ? Math.min(left, backoff) : left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a worker");
        } finally {
            lock.unlock();
        }
    }

    /** Sends the job to its worker (busy with it); false if the worker could not take it (it is stopped). */
    private boolean dispatch(Job job, WorkerProcess worker) {
        Running running = job.attempt;
        try {
            worker.send(job.frame, job.fd);
        } catch (IOException e) {
            running.abandon();
            worker.kill();
            return false;
        }
        job.transfer.handedOver();
        running.handed();
        return true;
    }

    /** Sends queued jobs to the workers just paired with them; a job whose worker failed goes back to the queue. */
    private void dispatchAll(List<Job> paired) {
        for (Job job : paired) {
            if (!dispatch(job, job.attempt.worker)) {
                requeue(job);
            }
        }
    }

    private void requeue(Job job) {
        List<Job> paired;
        RejectedExecutionException refusal = null;
        lock.lock();
        try {
            long left = job.deadlineNanos - System.nanoTime();
            if (closed || left <= 0) {
                refusal = new RejectedExecutionException(closed ? "server closed" : "no worker took the request within "
                        + options.workerWait().toMillis() + " ms");
                paired = List.of();
            } else {
                job.queued = true;
                job.pool.pending.addFirst(job);
                job.expiry = scheduler().schedule(() -> expire(job), left, TimeUnit.NANOSECONDS);
                paired = matchPending(job.pool);
                fillPending(job.pool);
            }
        } finally {
            lock.unlock();
        }
        if (refusal != null) {
            job.transfer.refused(refusal);
        }
        dispatchAll(paired);
    }

    /** The queued job's deadline passed: refuse it if no worker took it. */
    private void expire(Job job) {
        boolean refuse;
        lock.lock();
        try {
            refuse = job.queued;
            if (refuse) {
                job.queued = false;
                job.over = true;
                job.pool.pending.remove(job);
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            job.transfer.refused(new RejectedExecutionException("no worker became ready within " + options.workerWait().toMillis() + " ms"));
        }
    }

    /** Ends a job now: a queued one is refused, a running one loses its worker (its connection closes). */
    void abort(Job job) {
        boolean refuse = false;
        WorkerProcess kill = null;
        lock.lock();
        try {
            if (job.queued) {
                job.queued = false;
                job.over = true;
                job.pool.pending.remove(job);
                cancelExpiry(job);
                refuse = true;
            } else if (job.attempt != null && job.attempt.worker.current == job.attempt) {
                kill = job.attempt.worker;
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            job.transfer.refused(new RejectedExecutionException("ended before a worker took it"));
        }
        if (kill != null) {
            kill.kill();
        }
    }

    /** Stops taking requests; idle workers quit now, busy ones after their request; waits for all if blockOnClose. */
    public void close() {
        List<WorkerProcess> quit = new ArrayList<>();
        List<WorkerProcess> kill = new ArrayList<>();
        List<Job> refused = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Pool p : pools.values()) {
                for (Job job; (job = p.pending.pollFirst()) != null; ) {
                    job.queued = false;
                    job.over = true;
                    cancelExpiry(job);
                    refused.add(job);
                }
            }
            for (WorkerProcess w : workers) {
                if (w.state == WorkerProcess.State.IDLE) {
                    w.state = WorkerProcess.State.QUITTING;
                    w.pool.idle.remove(w);
                    quit.add(w);
                } else if (w.state == WorkerProcess.State.STARTING) {
                    kill.add(w);
                }
            }
            deleteRunDirectoryIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        refused.forEach(job -> job.transfer.refused(new RejectedExecutionException("server closed")));
        quit.forEach(WorkerProcess::quit);
        kill.forEach(WorkerProcess::kill);
        ScheduledExecutorService timers;
        lock.lock();
        try {
            timers = scheduler;
            scheduler = null;
        } finally {
            lock.unlock();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (options.blockOnClose()) {
            awaitTermination(null);
        }
    }

    /** Waits until every worker has exited and been reaped; {@code null} waits without limit. True if none is left. */
    public boolean awaitTermination(Duration limit) {
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                if (limit == null) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Kills every worker at once (the server is going away and cannot wait for requests). */
    public void killAll() {
        List<WorkerProcess> all;
        lock.lock();
        try {
            all = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        all.forEach(WorkerProcess::kill);
    }

    /** Requests being served by workers now, plus those waiting for a worker that is starting. */
    public int busyCount() {
        lock.lock();
        try {
            return (int) workers.stream().filter(w -> w.state == WorkerProcess.State.BUSY).count()
                    + pools.values().stream().mapToInt(p -> p.pending.size()).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Workers started and waiting for a request. */
    public int idleCount() {
        lock.lock();
        try {
            return (int) workers.stream().filter(w -> w.state == WorkerProcess.State.IDLE).count();
        } finally {
            lock.unlock();
        }
    }

    /** The worker processes alive now (starting, idle, busy or quitting). */
    public List<ProcessHandle> processes() {
        lock.lock();
        try {
            return workers.stream().map(WorkerProcess::handle).filter(h -> h != null).toList();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ pool logic (lock held unless noted)

    private Pool pool(HandlerClass handler) {
        lock.lock();
        try {
            return pools.computeIfAbsent(handler, Pool::new);
        } finally {
            lock.unlock();
        }
    }

    private void busy(WorkerProcess w, Job job) {
        w.state = WorkerProcess.State.BUSY;
        Running r = new Running(job, w);
        w.current = r;
        job.attempt = r;
    }

    /** Pairs queued jobs with idle workers (oldest job first); the caller dispatches them outside the lock. */
    private List<Job> matchPending(Pool pool) {
        List<Job> paired = new ArrayList<>();
        while (!pool.pending.isEmpty() && !pool.idle.isEmpty()) {
            Job job = pool.pending.pollFirst();
            job.queued = false;
            cancelExpiry(job);
            busy(pool.idle.pollLast(), job);
            paired.add(job);
        }
        return paired;
    }

    /** Starts workers until every queued job has one starting for it (within the bound and the back-off). */
    private void fillPending(Pool pool) {
        while (!closed && pool.starting < pool.pending.size()) {
            if (!startOne(pool)) {
                if (pool.nextStartNanos - System.nanoTime() > 0) {
                    scheduler().schedule(() -> {
                        lock.lock();
                        try {
                            fillPending(pool);
                        } finally {
                            lock.unlock();
                        }
                    }, pool.nextStartNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                return;
            }
        }
    }

    /**
     * Starts one worker for the pool if the bound allows, making room by stopping an idle worker of another pool
     * (retired pools first) when at the bound. False if none could be started now.
     */
    private boolean startOne(Pool pool) {
        if (closed || pool.broken != null || pool.nextStartNanos - System.nanoTime() > 0) {
            return false;
        }
        if (workers.size() >= options.maxChildren()) {
            if (workers.stream().anyMatch(x -> x.state == WorkerProcess.State.QUITTING)) {
                return false; // room is being made already; its exit signals the waiters
            }
            WorkerProcess victim = pools.values().stream().filter(p -> p != pool && !p.idle.isEmpty())
                    .sorted(Comparator.comparing((Pool p) -> !p.retired)).findFirst().map(p -> p.idle.pollFirst()).orElse(null);
            if (victim != null) {
                victim.state = WorkerProcess.State.QUITTING;
                victim.quit();
            }
            return false;
        }
        spawn(pool);
        return true;
    }

    /**
     * Starts a spare if the pool has fewer than minIdle workers idle or starting beyond those its queued jobs wait for;
     * one spare at a time, so a pool that dips below minIdle for a moment (a busy worker's report still on its way)
     * does not start a burst of JVMs whose start-up would slow everything down and deepen the dip.
     */
    private void topUp(Pool pool) {
        topUp(pool, false);
    }

    /** {@link #topUp(Pool)}, starting every missing spare at once when {@code burst} (a pool's first prestart). */
    private void topUp(Pool pool, boolean burst) {
        if (binding == null) {
            return;
        }
        while (!closed && !pool.retired && pool.broken == null
                && pool.idle.size() + pool.starting - pool.pending.size() < options.minIdle()
                && (burst || pool.starting <= pool.pending.size())
                && workers.size() < options.maxChildren() && pool.nextStartNanos - System.nanoTime() <= 0) {
            spawn(pool);
        }
    }

    private void spawn(Pool pool) {
        WorkerProcess w = new WorkerProcess(this, pool, NUMBERS.incrementAndGet(), TOKENS.nextLong() & Long.MAX_VALUE);
        workers.add(w);
        pool.all.add(w);
        pool.starting++;
        w.start();
    }

    private void drainIdle(Pool p, List<WorkerProcess> quit) {
        for (WorkerProcess w; (w = p.idle.pollFirst()) != null; ) {
            w.state = WorkerProcess.State.QUITTING;
            quit.add(w);
        }
    }

    private void forgetIfEmpty(Pool p) {
        if (p.retired && p.all.isEmpty() && p.pending.isEmpty()) {
            pools.remove(p.handler, p);
        }
    }

    private static void cancelExpiry(Job job) {
        if (job.expiry != null) {
            job.expiry.cancel(false);
            job.expiry = null;
        }
    }

    /** The timer of queued jobs' deadlines and start back-offs: one daemon thread, made on first use. */
    private ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "portside-forking-timer");
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
            scheduler = timers;
        }
        return scheduler;
    }

    // ------------------------------------------------------------------ worker events (worker threads)

    void ready(WorkerProcess w) {
        boolean quit = false;
        List<Job> paired = List.of();
        lock.lock();
        try {
            Pool pool = w.pool;
            pool.starting--;
            pool.failures = 0;
            if (closed || pool.retired && pool.pending.isEmpty()) {
                w.state = WorkerProcess.State.QUITTING;
                quit = true;
            } else {
                w.state = WorkerProcess.State.IDLE;
                // A fresh spare goes to the cold end: requests prefer the worker used last, whose code is compiled.
                pool.idle.addFirst(w);
                paired = matchPending(pool);
                topUp(pool);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, "Worker {0} ready", w);
        if (quit) {
            w.quit();
        }
        dispatchAll(paired);
    }

    void startFailed(WorkerProcess w, String reason, boolean permanent) {
        boolean report = !w.aborting && !closed;
        w.kill();
        w.reap();
        List<Job> refused = new ArrayList<>();
        lock.lock();
        try {
            Pool pool = w.pool;
            workers.remove(w);
            pool.all.remove(w);
            pool.starting--;
            w.state = WorkerProcess.State.GONE;
            if (permanent) {
                pool.broken = reason;
                for (Job job; (job = pool.pending.pollFirst()) != null; ) {
                    job.queued = false;
                    job.over = true;
                    cancelExpiry(job);
                    refused.add(job);
                }
            } else if (report) {
                pool.failures++;
                pool.nextStartNanos = System.nanoTime() + Math.min(5_000L, 100L << Math.min(6, pool.failures - 1)) * 1_000_000;
            }
            fillPending(pool);
            forgetIfEmpty(pool);
            deleteRunDirectoryIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (report) {
            LOG.log(Level.WARNING, "A worker for handler {0} failed to start: {1}", w.pool.handler.className(), reason);
        }
        refused.forEach(job -> job.transfer.refused(new RejectedExecutionException(
                "handler " + job.pool.handler.className() + " cannot start in a worker: " + reason)));
    }

    void done(WorkerProcess w, long id, byte outcome, WorkerException failure) {
        Running r;
        boolean quit = false;
        List<Job> paired = List.of();
        lock.lock();
        try {
            r = w.current;
            if (r == null || r.id() != id) {
                LOG.log(Level.WARNING, "Worker {0} reported a request it was not given ({1}); stopping it", w, id);
                w.kill();
                return;
            }
            Pool pool = w.pool;
            w.current = null;
            w.served++;
            if (outcome == Wire.EXIT) {
                w.exiting = true;
                w.state = WorkerProcess.State.QUITTING;
                fillPending(pool);
            } else if (closed || pool.retired && pool.pending.isEmpty() || w.state == WorkerProcess.State.QUITTING
                    || options.requestsPerWorker() > 0 && w.served >= options.requestsPerWorker()) {
                w.state = WorkerProcess.State.QUITTING;
                quit = true;
                fillPending(pool);
            } else {
                w.state = WorkerProcess.State.IDLE;
                pool.idle.addLast(w);
                paired = matchPending(pool);
            }
            topUp(pool);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (quit) {
            w.quit();
        }
        if (outcome == Wire.EXIT) {
            LOG.log(Level.WARNING, "Worker {0} ends: its handler raised {1} on {2}; a replacement starts", w, failure, r.job.transfer);
            r.ended(null);
        } else {
            r.ended(failure);
        }
        dispatchAll(paired);
    }

    void gone(WorkerProcess w, int status) {
        Running r;
        boolean report;
        WorkerProcess.State was;
        lock.lock();
        try {
            Pool pool = w.pool;
            workers.remove(w);
            pool.all.remove(w);
            pool.idle.remove(w);
            was = w.state;
            w.state = WorkerProcess.State.GONE;
            r = w.current;
            w.current = null;
            report = !closed && !w.aborting && !w.exiting && was != WorkerProcess.State.QUITTING;
            for (Pool p : new ArrayList<>(pools.values())) {
                fillPending(p); // the room this worker left may be what another pool's queue waits for
            }
            topUp(pool);
            forgetIfEmpty(pool);
            deleteRunDirectoryIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (r != null) {
            if (!w.aborting) {
                LOG.log(Level.WARNING, "Worker {0} died while serving {1}: {2}; its connection is closed, a replacement starts",
                        w, r.job.transfer, describe(status));
            }
            r.ended(null);
        } else if (report) {
            LOG.log(Level.WARNING, "Idle worker {0} died: {1}; a replacement starts", w, describe(status));
        }
    }

    static String describe(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            return "killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 11 ? " (SIGSEGV)" : signal == 6 ? " (SIGABRT)" : "");
        }
        return status < 0 ? "exit status unknown" : "exit status " + status;
    }

    // ------------------------------------------------------------------ launching (worker threads)

    Path runDirectory() throws IOException {
        lock.lock();
        try {
            if (runDirectory == null) {
                runDirectory = ScratchFolders.createForSockets("run");
            }
            return runDirectory;
        } finally {
            lock.unlock();
        }
    }

    private void deleteRunDirectoryIfDone() {
        if (closed && workers.isEmpty() && runDirectory != null) {
            try (Stream<Path> files = Files.list(runDirectory)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(runDirectory);
            } catch (IOException ignored) {
                // a temp directory left behind
            }
            runDirectory = null;
        }
    }

    List<String> command(Path controlSocket, int number) {
        Binding b = binding;
        List<String> cmd = new ArrayList<>();
        cmd.add(options.javaCommand().toString());
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")); // the server's, unless the options say otherwise
        cmd.addAll(options.jvmOptions());
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // A worker's crash report outlives the run folder: it goes beside it (the home's work/forking in the host).
        cmd.add("-XX:ErrorFile=" + ScratchFolders.root().resolve("portside-worker-hs_err_pid%p.log"));
        cmd.add("-XX:-CreateCoredumpOnCrash");
        if (!b.transport().isStream() && b.family() == StandardProtocolFamily.INET) {
            cmd.add("-Djava.net.preferIPv4Stack=true"); // see Descriptors.datagramChannel
        }
        cmd.add("-Dportside.worker=" + number);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, options.workerClassPath().stream().map(p -> p.toAbsolutePath().toString()).toList()));
        cmd.add(WorkerMain.class.getName());
        cmd.add(controlSocket.toString());
        cmd.add(Integer.toString(number));
        return cmd;
    }

    Wire.Frame initFrame(HandlerClass handler) throws IOException {
        Binding b = binding;
        Wire.Frame init = new Wire.Frame(Wire.INIT);
        Wire.writeString(init.out, b.transport().name());
        Wire.writeAddress(init.out, b.address());
        Wire.writeString(init.out, ((StandardProtocolFamily) b.family()).name());
        Wire.writeString(init.out, handler.className());
        init.out.writeInt(handler.classPath().size());
        for (Path p : handler.classPath()) {
            Wire.writeString(init.out, p.toAbsolutePath().toString());
        }
        return init;
    }

    FileDescriptor sharedDescriptor() {
        return binding.shared();
    }

    private static ProtocolFamily familyOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        return StandardProtocolFamily.UNIX;
    }

    static long millis(Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
