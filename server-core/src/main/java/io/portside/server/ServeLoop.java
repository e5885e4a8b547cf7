package io.portside.server;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's serve loop and lifecycle: {@code serve_forever}, {@code shutdown}, {@code handle_request} and the
 * closed state, which must agree with each other under one lock. The loop waits on a {@link Selector} that
 * {@code shutdown} and {@code server_close} wake, so neither waits for a poll interval.
 */
final class ServeLoop {

    private final BaseServer<?> server;
    private final Object lifecycle = new Object();
    private volatile boolean shutdownRequested; // written under lifecycle; read without it by the serve loop
    private boolean shutDown;            // Python's __is_shut_down event; guarded by lifecycle
    private Thread serveThread;          // guarded by lifecycle
    /** Selectors that serveForever and handleRequest wait on, woken by shutdown and close. */
    private final Set<Selector> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ServeLoop(BaseServer<?> server) {
        this.server = server;
    }

    void serveForever(Duration pollInterval) throws IOException {
        Selector selector = server.channel().provider().openSelector();
        synchronized (lifecycle) {
            if (serveThread != null) {
                closeQuietly(selector);
                throw new IllegalStateException("serveForever() is already running in " + serveThread.getName());
            }
            serveThread = Thread.currentThread();
            shutDown = false;
        }
        waiting.add(selector);
        long pollMillis = pollInterval == null ? 0 : Math.max(1, pollInterval.toMillis());
        try (selector) {
            server.channel().register(selector, server.readyOps());
            boolean handled = false;
            while (!isShutdownRequested()) {
                // A pass that took a request is followed by one that first tries to take the next without waiting
                // in the selector: under load the next request is usually there already, and the select (a
                // system call, plus the selector's own bookkeeping) is saved. Still one request per pass, and
                // serviceActions after it.
                handled = handled && server.handleRequestNoblock();
                if (!handled) {
                    int ready = selector.select(pollMillis);
                    if (isShutdownRequested()) {
                        break; // bpo-35017: accept nothing once shutdown has been asked for
                    }
                    if (ready > 0) {
                        selector.selectedKeys().clear();
                        handled = server.handleRequestNoblock();
                    }
                }
                server.serviceActions();
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            if (!closed) {
                throw e;
            }
        } finally {
            waiting.remove(selector);
            synchronized (lifecycle) {
                shutdownRequested = false;
                serveThread = null;
                shutDown = true;
                lifecycle.notifyAll();
            }
        }
    }

    void shutdown() {
        synchronized (lifecycle) {
            if (Thread.currentThread() == serveThread) {
                throw new IllegalStateException("shutdown() was called from the thread running serveForever() and would "
                        + "wait for itself; call it from another thread");
            }
            if (shutDown || (closed && serveThread == null)) {
                return;
            }
            shutdownRequested = true;
            wakeWaiters();
            boolean interrupted = false;
            while (!shutDown && !(closed && serveThread == null)) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean handleRequest(Duration limit) throws IOException {
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        Selector selector = server.channel().provider().openSelector();
        waiting.add(selector);
        try (selector) {
            if (closed) {
                return false;
            }
            server.channel().register(selector, server.readyOps());
            while (true) {
                int ready;
                if (limit == null) {
                    ready = selector.select();
                } else {
                    long remaining = deadline - System.nanoTime();
                    ready = remaining <= 0 ? selector.selectNow()
                            : selector.select(Math.max(1, (remaining + 999_999) / 1_000_000));
                }
                if (ready > 0) {
                    return server.handleRequestNoblock();
                }
                if (closed) {
                    return false;
                }
                if (limit != null && deadline - System.nanoTime() < 0) {
                    server.handleTimeout();
                    return false;
                }
            }
        } catch (ClosedChannelException e) {
            if (closed) {
                return false;
            }
            throw e;
        } finally {
            waiting.remove(selector);
        }
    }

    /** Marks the server closed and wakes every waiter; true for the first call, which then closes the channel. */
    boolean close() {
        boolean first;
        synchronized (lifecycle) {
            first = !closed;
            closed = true;
            lifecycle.notifyAll();
        }
        wakeWaiters();
        return first;
    }

    boolean isClosed() {
        return closed;
    }

    /** Read on every pass of the serve loop, so without the lock: both flags are volatile. */
    boolean isShutdownRequested() {
        return shutdownRequested || closed;
    }

    boolean isServingThread() {
        synchronized (lifecycle) {
            return Thread.currentThread() == serveThread;
        }
    }

    private void wakeWaiters() {
        for (Selector selector : waiting) {
            selector.wakeup();
        }
    }

    private static void closeQuietly(Selector selector) {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
