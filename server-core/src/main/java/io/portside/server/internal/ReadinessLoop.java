package io.portside.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One readiness loop: a virtual thread (a platform thread before JDK 25) around a selector (epoll on Linux, level-triggered) with which connections
 * register once, for good. Each turn it reads every readable socket once into its connection's inbox and wakes the
 * threads that wait on it: one {@code epoll_wait} for many connections, one {@code read} per arrival, and no re-arming
 * per request (the JDK's own poller for virtual threads registers one-shot, and so costs an {@code epoll_ctl} and a read
 * that finds nothing per request).
 *
 * <p>The thread ends after {@link #IDLE_TURNS} seconds with nothing registered (a later registration starts another), so
 * no thread of the server bundle outlives its last connection, as {@link HostClock}'s does not.
 */
final class ReadinessLoop {

    /** Turns of one second each with no connection registered before the thread ends. */
    private static final int IDLE_TURNS = 10;
    /** The most one read of a socket takes in: the loop's own buffer, reused for every connection. */
    static final int READ_SIZE = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(ReadinessLoop.class.getName());

    /**
     * A selection on a virtual thread parks it (instead of pinning its carrier) from JDK 25 on; on 21 to 24 it would pin
     * a carrier for as long as it waits, so there the loop runs on a platform thread (which costs a carrier wake-up per
     * hand-off: about one futex call per request more).
     */
    static final boolean VIRTUAL_BY_DEFAULT = Runtime.version().feature() >= 25;

    /** How often clients with time limits are checked: a limit fires at most this late. */
    static final long TICK_NANOS = 250_000_000L;

    private final String name;
    private final boolean virtual;
    private final int readSize;
    /** Work handed to the loop's thread by others: a close that must not wait for a protocol's callback. */
    private final java.util.Queue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Registered clients that have time limits: while any, the loop wakes every tick to check them. */
    private final java.util.concurrent.atomic.AtomicInteger timed = new java.util.concurrent.atomic.AtomicInteger();
    private Selector selector; // guarded by this; null while no thread runs
    private volatile Thread thread;

    ReadinessLoop(String name) {
        this(name, VIRTUAL_BY_DEFAULT);
    }

    /** A loop whose thread is virtual or a platform daemon thread, as {@code virtual} says. */
    ReadinessLoop(String name, boolean virtual) {
        this(name, virtual, READ_SIZE);
    }

    /** ... reading at most {@code readSize} bytes of a socket at a time. */
    ReadinessLoop(String name, boolean virtual, int readSize) {
        this.name = name;
        this.virtual = virtual;
        this.readSize = readSize;
    }

    /** Registers a non-blocking socket for reading, for good; the loop starts if it is not running. */
    LoopedChannel register(SocketChannel channel) throws IOException {
        LoopedChannel looped = new LoopedChannel(channel, this);
        SelectionKey key = register(channel, looped); // no interest until it knows its key: the loop may turn at once
        looped.registered(key);
        interest(key, SelectionKey.OP_READ, true);
        return looped;
    }

    /**
     * Registers a non-blocking socket with no interest yet, for good; the loop starts if it is not running. The loop is
     * not woken here: the caller's next step (turning an interest on, or a task for the loop) wakes it, once.
     */
    SelectionKey register(SocketChannel channel, LoopClient client) throws IOException {
        synchronized (this) {
            return channel.register(running(), 0, client);
        }
    }

    /** Runs {@code task} on the loop's thread, at its next turn. */
    void execute(Runnable task) {
        tasks.add(task);
        Selector s;
        synchronized (this) {
            s = selector;
        }
        if (s != null) {
            s.wakeup();
        }
    }

    /** A client with time limits registered ({@code +1}) or went ({@code -1}). */
    void timed(int change) {
        timed.addAndGet(change);
    }

    /** True on the loop's own thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Turns an interest on or off; from another thread, the loop is woken so that it takes the change now. */
    void interest(SelectionKey key, int op, boolean on) {
        try {
            if (on) {
                key.interestOpsOr(op);
                if (Thread.currentThread() != thread) {
                    key.selector().wakeup();
                }
            } else {
                key.interestOpsAnd(~op);
            }
        } catch (CancelledKeyException closed) {
            // the connection was closed meanwhile: whoever waits on it has been woken by the close
        }
    }

    /** A registered connection was closed: the loop's next turn lets go of its socket (and so closes the descriptor). */
    void released(SelectionKey key) {
        if (key != null && Thread.currentThread() != thread) {
            key.selector().wakeup();
        }
    }

    private Selector running() throws IOException { // guarded by this
        if (selector == null) {
            selector = Selector.open();
            Selector s = selector;
            Runnable loop = () -> run(s);
            Thread t = virtual ? Thread.ofVirtual().name(name).unstarted(loop)
                    : Thread.ofPlatform().daemon().name(name).unstarted(loop);
            thread = t;
            try {
                t.start();
            } catch (RuntimeException | Error e) { // no thread (native memory, a thread limit): the next registration tries again
                selector = null;
                thread = null;
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing was registered yet
                }
                throw e;
            }
        }
        return selector;
    }

    /**
     * The loop runs on a virtual thread, as the JDK's own sub-pollers do ("User-level Threading: Have Your Cake and Eat
     * It Too", Karsten and Barghi 2020): after a turn that found work it yields, so that the handlers it woke run on this
     * carrier at once (no other carrier is woken for them), then polls again without waiting; only a turn that found
     * nothing parks it, on the JDK's poller, until the selector has something. A platform loop (before JDK 25) simply
     * waits in the selector.
     */
    private void run(Selector s) {
        ByteBuffer scratch = ByteBuffer.allocateDirect(readSize);
        ByteBuffer view = scratch.asReadOnlyBuffer(); // one for the loop: a protocol gets it, not a fresh one per read
        Consumer<SelectionKey> ready = key -> ready(key, scratch, view);
        Runnable queued = this::runTasks;
        int idleTurns = 0;
        int polled = 0;
        long nextTick = System.nanoTime() + TICK_NANOS;
        try {
            while (true) {
                if (polled > 0 && virtual) {
                    Thread.yield();
                    polled = s.selectNow(ready);
                } else {
                    polled = s.select(ready, timed.get() > 0 ? TICK_NANOS / 1_000_000 : 1000);
                }
                queued.run();
                if (timed.get() > 0) {
                    long now = System.nanoTime();
                    if (now - nextTick >= 0) {
                        nextTick = now + TICK_NANOS;
                        tick(s, now);
                    }
                }
                if (polled > 0 || !s.keys().isEmpty()) {
                    idleTurns = 0;
                } else if (++idleTurns >= IDLE_TURNS && endIfIdle(s)) {
                    return;
                }
            }
        } catch (Throwable t) { // the loop itself failed: its connections end, and the next registration starts another
            LOG.log(Level.ERROR, "The readiness loop " + name + " failed; its connections are closed", t);
            closeAll(s);
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException | Error e) { // a task's own failure: the loop and its other connections go on
                LOG.log(Level.ERROR, "A task on the readiness loop " + name + " failed", e);
            }
        }
    }

    private void ready(SelectionKey key, ByteBuffer scratch, ByteBuffer view) {
        LoopClient c = (LoopClient) key.attachment();
        try {
            int ops = key.readyOps();
            if ((ops & SelectionKey.OP_READ) != 0) {
                c.readable(scratch, view);
            }
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                c.writable();
            }
        } catch (CancelledKeyException closed) {
            c.closed();
        } catch (RuntimeException | Error e) { // one connection's failure ends that connection, not the loop's others
            LOG.log(Level.ERROR, "The readiness loop " + name + " closed a connection that failed unexpectedly", e);
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
            c.closed();
        }
    }

    private static void tick(Selector s, long now) {
        for (SelectionKey k : s.keys()) {
            if (k.isValid()) {
                ((LoopClient) k.attachment()).tick(now);
            }
        }
    }

    private synchronized boolean endIfIdle(Selector s) {
        if (!s.keys().isEmpty() || !tasks.isEmpty()) {
            return false;
        }
        selector = null;
        thread = null;
        try {
            s.close();
        } catch (IOException e) {
            // nothing registered: nothing to lose
        }
        return true;
    }

    private synchronized void closeAll(Selector s) {
        for (SelectionKey k : s.keys()) {
            try {
                k.channel().close();
            } catch (IOException e) {
                // closing: nothing more to do
            }
            ((LoopClient) k.attachment()).closed();
        }
        selector = null;
        thread = null;
        try {
            s.close();
        } catch (IOException e) {
            // already failing
        }
    }
}
