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
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.TransferredRequest;
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
                topUp(p);
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
            topUp(p);
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
     * Sends the request to an idle worker of {@code handler}, starting one if the bound allows, waiting up to
     * {@code workerWait} for one to be free; retries on another worker if the chosen one turns out to be dead.
     *
     * @throws RejectedExecutionException if no worker took the request; the request is then untouched
     */
    public RunningRequest transfer(TransferredRequest request, HandlerClass handler) {
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
        byte[] bytes = frame.bytes();
        long deadline = System.nanoTime() + options.workerWait().toNanos();
        Pool pool = pool(handler);
        for (int attempt = 1; ; attempt++) {
            WorkerProcess worker = acquire(pool, deadline);
            Running running = new Running(worker, request, id);
            setCurrent(worker, running);
            try {
                worker.send(bytes, fd);
            } catch (IOException e) {
                running.abandon();
                worker.kill();
                if (attempt == 3) {
                    throw new RejectedExecutionException("workers failed to take " + request + ": " + e.getMessage(), e);
                }
                continue;
            }
            request.handedOver();
            running.handed();
            return running;
        }
    }

    /** Stops taking requests; idle workers quit now, busy ones after their request; waits for all if blockOnClose. */
    public void close() {
        List<WorkerProcess> quit = new ArrayList<>();
        List<WorkerProcess> kill = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
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
        quit.forEach(WorkerProcess::quit);
        kill.forEach(WorkerProcess::kill);
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

    /** Requests being served by workers now. */
    public int busyCount() {
        lock.lock();
        try {
            return (int) workers.stream().filter(w -> w.state == WorkerProcess.State.BUSY).count();
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

    private WorkerProcess acquire(Pool pool, long deadline) {
        List<WorkerProcess> evicted = new ArrayList<>();
        lock.lock();
        try {
            pool.waiting++;
            while (true) {
                if (closed) {
                    throw new RejectedExecutionException("server closed");
                }
                if (pool.broken != null) {
                    throw new RejectedExecutionException("handler " + pool.handler.className() + " cannot start in a worker: " + pool.broken);
                }
                WorkerProcess w = pool.idle.pollLast();
                if (w != null) {
                    w.state = WorkerProcess.State.BUSY;
                    topUp(pool);
                    return w;
                }
                long backoff = pool.nextStartNanos - System.nanoTime();
                if (pool.starting < pool.waiting && backoff <= 0) {
                    if (workers.size() < options.maxChildren()) {
                        spawn(pool);
                    } else if (workers.stream().noneMatch(x -> x.state == WorkerProcess.State.QUITTING)) {
                        WorkerProcess victim = idleElsewhere(pool);
                        if (victim != null) {
                            evicted.add(victim);
                            break; // send QUIT outside the lock, then wait again
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RejectedExecutionException(pool.starting > 0 && workers.size() < options.maxChildren()
                            ? "no worker became ready within " + options.workerWait().toMillis() + " ms"
                            : "all " + options.maxChildren() + " workers busy for " + options.workerWait().toMillis() + " ms");
                }
                changed.awaitNanos(backoff > 0 ? Math.min(left, backoff) : left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a worker");
        } finally {
            pool.waiting--;
            lock.unlock();
        }
        evicted.forEach(WorkerProcess::quit);
        return acquire(pool, deadline);
    }

    /** An idle worker of another pool, retired pools first, marked quitting; null if none. */
    private WorkerProcess idleElsewhere(Pool except) {
        return pools.values().stream().filter(p -> p != except && !p.idle.isEmpty())
                .sorted(Comparator.comparing((Pool p) -> !p.retired))
                .findFirst().map(p -> {
                    WorkerProcess w = p.idle.pollFirst();
                    w.state = WorkerProcess.State.QUITTING;
                    return w;
                }).orElse(null);
    }

    /** Starts spares until the pool has minIdle idle or starting workers (within maxChildren). */
    private void topUp(Pool pool) {
        if (binding == null) {
            return;
        }
        while (!closed && !pool.retired && pool.broken == null && pool.idle.size() + pool.starting < options.minIdle()
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
        if (p.retired && p.all.isEmpty() && p.waiting == 0) {
            pools.remove(p.handler, p);
        }
    }

    private void setCurrent(WorkerProcess w, Running r) {
        lock.lock();
        try {
            w.current = r;
        } finally {
            lock.unlock();
        }
    }

    boolean isCurrent(WorkerProcess w, Running r) {
        lock.lock();
        try {
            return w.current == r;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ worker events (worker threads)

    void ready(WorkerProcess w) {
        boolean quit = false;
        lock.lock();
        try {
            w.pool.starting--;
            w.pool.failures = 0;
            if (closed || w.pool.retired && w.pool.waiting == 0) {
                w.state = WorkerProcess.State.QUITTING;
                quit = true;
            } else {
                w.state = WorkerProcess.State.IDLE;
                w.pool.idle.addLast(w);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, "Worker {0} ready", w);
        if (quit) {
            w.quit();
        }
    }

    void startFailed(WorkerProcess w, String reason, boolean permanent) {
        boolean report = !w.aborting && !closed;
        w.kill();
        w.reap();
        lock.lock();
        try {
            workers.remove(w);
            w.pool.all.remove(w);
            w.pool.starting--;
            w.state = WorkerProcess.State.GONE;
            if (permanent) {
                w.pool.broken = reason;
            } else if (report) {
                w.pool.failures++;
                w.pool.nextStartNanos = System.nanoTime() + Math.min(5_000L, 100L << Math.min(6, w.pool.failures - 1)) * 1_000_000;
            }
            forgetIfEmpty(w.pool);
            deleteRunDirectoryIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (report) {
            LOG.log(Level.WARNING, "A worker for handler {0} failed to start: {1}", w.pool.handler.className(), reason);
        }
    }

    void done(WorkerProcess w, long id, byte outcome, WorkerException failure) {
        Running r;
        boolean quit = false;
        lock.lock();
        try {
            r = w.current;
            if (r == null || r.id != id) {
                LOG.log(Level.WARNING, "Worker {0} reported a request it was not given ({1}); stopping it", w, id);
                w.kill();
                return;
            }
            w.current = null;
            w.served++;
            if (outcome == Wire.EXIT) {
                w.exiting = true;
                w.state = WorkerProcess.State.QUITTING;
            } else if (closed || w.pool.retired || options.requestsPerWorker() > 0 && w.served >= options.requestsPerWorker()
                    || w.state == WorkerProcess.State.QUITTING) {
                w.state = WorkerProcess.State.QUITTING;
                quit = true;
            } else {
                w.state = WorkerProcess.State.IDLE;
                w.pool.idle.addLast(w);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (quit) {
            w.quit();
        }
        if (outcome == Wire.EXIT) {
            LOG.log(Level.WARNING, "Worker {0} ends: its handler raised {1} on {2}; a replacement starts", w, failure, r.transfer);
            r.ended(null);
        } else {
            r.ended(failure);
        }
    }

    void gone(WorkerProcess w, int status) {
        Running r;
        boolean report;
        WorkerProcess.State was;
        lock.lock();
        try {
            workers.remove(w);
            w.pool.all.remove(w);
            w.pool.idle.remove(w);
            was = w.state;
            w.state = WorkerProcess.State.GONE;
            r = w.current;
            w.current = null;
            report = !closed && !w.aborting && !w.exiting && was != WorkerProcess.State.QUITTING;
            topUp(w.pool);
            forgetIfEmpty(w.pool);
            deleteRunDirectoryIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (r != null) {
            if (!w.aborting) {
                LOG.log(Level.WARNING, "Worker {0} died while serving {1}: {2}; its connection is closed, a replacement starts",
                        w, r.transfer, describe(status));
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
                runDirectory = Files.createTempDirectory("portside-forking-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
        cmd.addAll(options.jvmOptions());
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "portside-worker-hs_err_pid%p.log"));
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
