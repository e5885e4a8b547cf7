package io.portside.server.forking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.portside.handler.api.Concurrency;
import io.portside.handler.api.SocketServer;
import io.portside.server.BaseServer;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.internal.Descriptors;
import io.portside.server.forking.internal.Supervisor;

/**
 * Python's {@code ForkingMixIn} for the JVM: each request is served in a worker process, a prestarted JVM that is
 * reused, like a prefork server's children. The connection itself goes to the worker: the server passes the accepted
 * socket's descriptor over a Unix socket ({@code SCM_RIGHTS}) and then closes its own copy, as the forking parent calls
 * {@code close_request} (never {@code shutdown_request}). A datagram goes to a worker with the client's address; the
 * worker replies from the server's own socket, whose descriptor it got once at start.
 *
 * <p>A worker serves one request at a time and runs the handler exactly as a thread would: an {@link Exception} comes
 * back to the server's {@code handleError} (as a {@link WorkerException}) and the worker goes on; an {@link Error} such
 * as {@code ServerExit} ends that worker only. A worker that dies ({@code System.exit}, {@code OutOfMemoryError},
 * a native crash, {@code kill -9}) costs only the request it was serving: one log line, the client's connection
 * closes, a replacement starts.
 *
 * <p>One model serves one server (its workers hold that server's address, and for datagrams its socket). See
 * {@link ForkingOptions} for the knobs and {@code docs/forking.md} for the design.
 */
public final class ForkingModel implements ConcurrencyModel {

    private final ForkingOptions options;
    private final HandlerClass handler;
    private final Supervisor supervisor;

    /**
     * @param options the knobs
     * @param handler what workers run for requests sent with {@link #dispatch(DispatchedRequest)}; may be {@code null}
     *                for a host that names the handler per request ({@link #transfer(DispatchedRequest, HandlerClass)})
     * @throws IllegalStateException if this JVM was started without {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
     */
    public ForkingModel(ForkingOptions options, HandlerClass handler) {
        Descriptors.requireAccess();
        this.options = options;
        this.handler = handler;
        this.supervisor = new Supervisor(options);
    }

    /**
     * Checks that this JVM can hand connections to workers.
     *
     * @throws IllegalStateException naming the missing JVM option ({@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED})
     */
    public static void requireAvailable() {
        Descriptors.requireAccess();
    }

    public ForkingOptions options() {
        return options;
    }

    /** The handler class workers run by default; {@code null} if requests always name theirs. */
    public HandlerClass handler() {
        return handler;
    }

    @Override
    public Concurrency kind() {
        return Concurrency.FORKING;
    }

    /** Sends the request to a worker of the default {@link #handler()}. */
    @Override
    public void dispatch(DispatchedRequest request) {
        if (handler == null) {
            throw new IllegalStateException("this forking model has no default handler class; use transfer(request, handler)");
        }
        transfer(request, handler);
    }

    /**
     * Sends the request to a worker that runs {@code handlerClass} (a host pins requests to handler revisions this way):
     * an idle one, or one started for it if fewer than {@code maxChildren} run; otherwise waits up to
     * {@code workerWait} for one to be free.
     *
     * @throws java.util.concurrent.RejectedExecutionException if no worker took it in time, or the model is closed
     */
    public RunningRequest transfer(DispatchedRequest request, HandlerClass handlerClass) {
        return supervisor.transfer(request, handlerClass);
    }

    /**
     * Binds the workers to {@code server} and prestarts the default handler's spare workers. Forking servers have it
     * done when they activate ({@link #serverActivated}); otherwise the first request does.
     */
    public void attach(BaseServer<?> server) {
        serverActivated(server, server.channel());
    }

    /** {@link #attach}: a forking server's socket is active, so its workers can be bound to it and the spares started. */
    @Override
    public void serverActivated(SocketServer server, SelectableChannel channel) {
        try {
            supervisor.attach(server.transport(), server.serverAddress(), channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot share the server's socket with workers", e);
        }
        if (handler != null) {
            supervisor.prestart(handler);
        }
    }

    /** Starts {@code handlerClass}'s spare workers now (they start once the model is attached to its server). */
    public void prestart(HandlerClass handlerClass) {
        supervisor.prestart(handlerClass);
    }

    /**
     * Stops sending new work to spare workers of {@code handlerClass}: its idle workers exit now, its busy ones after
     * their request (a host does this when a handler revision is replaced). Requests still sent to it are served.
     */
    public void retire(HandlerClass handlerClass) {
        supervisor.retire(handlerClass);
    }

    /** Requests being served by workers now. */
    @Override
    public int activeCount() {
        return supervisor.busyCount();
    }

    /** Workers started and waiting for a request (prestarted spares and reusable ones). */
    public int idleCount() {
        return supervisor.idleCount();
    }

    /** Python's {@code active_children}: the process ids of the live workers (starting, idle, busy or exiting). */
    public Set<Long> activeChildren() {
        return supervisor.processes().stream().map(ProcessHandle::pid).collect(Collectors.toUnmodifiableSet());
    }

    /** The live worker processes. */
    public List<ProcessHandle> workers() {
        return supervisor.processes();
    }

    /**
     * Stops taking requests: idle workers exit now, busy ones once their request ends. With {@code blockOnClose}
     * (the default, as Python's {@code block_on_close}) waits until every worker has exited and been reaped.
     */
    @Override
    public void close() {
        supervisor.close();
    }

    /** Waits up to {@code limit} (null: for ever) until every worker has exited; true if none is left. */
    public boolean awaitTermination(Duration limit) {
        return supervisor.awaitTermination(limit);
    }

    /** Kills every worker now, busy or not; their clients' connections close. */
    public void killWorkers() {
        supervisor.killAll();
    }

    @Override
    public String toString() {
        return "forking(max " + options.maxChildren() + ", min idle " + options.minIdle() + ")";
    }
}
