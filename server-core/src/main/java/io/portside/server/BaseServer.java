package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.SocketServer;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Python's {@code BaseServer}: the serve loop, shutdown, and the request hooks every server type shares.
 *
 * <p>Dispatch follows CPython's {@code _handle_request_noblock}: {@link #getRequest()}, then
 * {@link #verifyRequest}, then {@link #processRequest}. An {@link Exception} from processing reaches
 * {@link #handleError} and the request is shut down; the server goes on. An {@link Error} (the analogue of
 * {@code SystemExit}) shuts the request down and propagates. Where CPython leaves a connection open
 * (an exception from {@code verifyRequest} or from {@code handleError}), Portside closes it; see docs/semantics.md.
 *
 * <p>The serve loop waits on a {@link Selector}: {@link #shutdown()} and {@link #serverClose()} wake it,
 * so neither waits for a poll interval. The poll interval only paces {@link #serviceActions()}.
 *
 * <p>Every hook is an overridable method named after its Python counterpart ({@code server_bind} is
 * {@link #serverBind()}, and so on). Bind options set in a subclass's field initializers come too late for a
 * constructor that binds: construct with {@code bindAndActivate=false}, set them, then call {@link #bindAndActivate()}.
 *
 * @param <R> the request type
 */
public abstract class BaseServer<R> implements SocketServer, AutoCloseable {

    /** Python's default {@code poll_interval}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(BaseServer.class.getName());

    /** The address to bind, replaced by the real bound address once bound. */
    protected SocketAddress serverAddress;
    /** Makes a fresh handler per request (Python's {@code RequestHandlerClass}); null when none runs in this process. */
    protected final RequestHandlerFactory<R> handlerFactory;
    /** How requests run (Python's mix-ins); null for a server with its own {@link RequestProcessor}. */
    protected final ConcurrencyModel concurrency;
    /** Where each request goes once taken: Python's hooks, or a plugged-in processor. */
    private final RequestProcessor<R> processor;
    /** True when {@link #concurrency} serves every request in another process and must be told the socket is active. */
    private final boolean servedElsewhere;
    /**
     * The request whose end already ran before an Error left a synchronous {@link #processRequest}: set and read on the
     * thread the Error travels on, so worker threads never see each other's.
     */
    final ThreadLocal<Object> endedBeforeError = new ThreadLocal<>();
    /** Python's {@code timeout}: for {@link #handleRequest()} only; {@code null} waits without limit. */
    protected volatile Duration timeout;
    /** The listening socket's own timeout (Python's {@code socket.settimeout}); {@code null} by default. */
    protected volatile Duration socketTimeout;

    private final ServeLoop loop = new ServeLoop(this);
    private final AcceptBackoff acceptBackoff = new AcceptBackoff();

    /** A server that runs Python's hooks, with a fresh handler from {@code handlerFactory} per request. */
    protected BaseServer(SocketAddress serverAddress, RequestHandlerFactory<R> handlerFactory, ConcurrencyModel concurrency) {
        this(serverAddress, Routing.hooks(handlerFactory, concurrency));
    }

    /** A server whose requests go where {@code routing} says. */
    protected BaseServer(SocketAddress serverAddress, Routing<R> routing) {
        this.serverAddress = serverAddress;
        this.handlerFactory = routing.handlerFactory;
        this.concurrency = routing.concurrency;
        this.servedElsewhere = routing.servedElsewhere;
        this.processor = routing.processor != null ? routing.processor : new PythonHooks<>(this);
    }

    /**
     * Where a server sends the requests it takes, chosen once at construction: through Python's hooks to a concurrency
     * model (which runs a fresh handler per request, or serves every request in another process), or straight to a
     * plugged-in {@link RequestProcessor}. Each transport takes one of these instead of a constructor per choice.
     *
     * @param <R> the request type
     */
    public static final class Routing<R> {
        private final RequestHandlerFactory<R> handlerFactory;
        private final ConcurrencyModel concurrency;
        private final boolean servedElsewhere;
        private final RequestProcessor<R> processor;

        private Routing(RequestHandlerFactory<R> handlerFactory, ConcurrencyModel concurrency, boolean servedElsewhere,
                RequestProcessor<R> processor) {
            this.handlerFactory = handlerFactory;
            this.concurrency = concurrency;
            this.servedElsewhere = servedElsewhere;
            this.processor = processor;
        }

        /** Python's hooks, with a fresh handler from {@code handlerFactory} per request, run as {@code concurrency} says. */
        public static <R> Routing<R> hooks(RequestHandlerFactory<R> handlerFactory, ConcurrencyModel concurrency) {
            return new Routing<>(Objects.requireNonNull(handlerFactory, "handlerFactory"),
                    Objects.requireNonNull(concurrency, "concurrency"), false, null);
        }

        /**
         * Python's hooks, but no handler in this process: {@code concurrency} serves every request elsewhere (forking).
         * It is told when the server's socket is active ({@link ConcurrencyModel#serverActivated}), to share it.
         */
        public static <R> Routing<R> servedElsewhere(ConcurrencyModel concurrency) {
            return new Routing<>(null, Objects.requireNonNull(concurrency, "concurrency"), true, null);
        }

        /**
         * Every request to {@code processor} (a host's connection pipeline): Python's request hooks are not consulted,
         * and the server has no concurrency model of its own ({@link BaseServer#concurrency()} is null).
         */
        public static <R> Routing<R> processor(RequestProcessor<R> processor) {
            return new Routing<>(null, null, false, Objects.requireNonNull(processor, "processor"));
        }
    }

    // ------------------------------------------------------------------ the caller's API

    /** {@link #serveForever(Duration)} with the default poll interval of 0.5 s. */
    public void serveForever() throws IOException {
        serveForever(DEFAULT_POLL_INTERVAL);
    }

    /**
     * Handles requests until {@link #shutdown()} or {@link #serverClose()}: one request per pass, then
     * {@link #serviceActions()}, which also runs every {@code pollInterval} while idle ({@code null}: only
     * after requests). A pass that follows one that took a request first tries to take the next without
     * waiting in the selector. Can be called again after it returns.
     *
     * @throws IllegalStateException if the server is closed or the loop already runs in another thread
     */
    public void serveForever(Duration pollInterval) throws IOException {
        ensureOpen();
        loop.serveForever(pollInterval);
    }

    /**
     * Stops {@link #serveForever} and waits until it has returned. Called before the loop has started, it
     * waits for the loop to start and stop (CPython's {@code test_shutdown}); called when a loop has already
     * ended, it returns at once and, unlike CPython, leaves no stale flag behind.
     *
     * @throws IllegalStateException when called from the thread running {@code serveForever}, which
     *                               would wait for itself forever (CPython deadlocks)
     */
    public void shutdown() {
        loop.shutdown();
    }

    /**
     * Waits for and handles one request (Python's {@code handle_request}). It waits at most the smaller of
     * {@link #timeout} and {@link #socketTimeout} (either may be {@code null}; both {@code null} waits without
     * limit), measured against a monotonic deadline; when that passes, it calls {@link #handleTimeout()}.
     * Unlike {@link #serveForever}, it ignores {@link #shutdown()}.
     *
     * @return true if a request was taken and dispatched; false on a timeout, when the ready request could not
     *         be taken after all, or when the server was closed while waiting
     * @throws IllegalStateException if the server is closed
     */
    public boolean handleRequest() throws IOException {
        ensureOpen();
        return loop.handleRequest(effectiveTimeout());
    }

    /** Closes the listening socket and, per the concurrency model, waits for running requests. Idempotent. */
    public void serverClose() {
        if (loop.close()) {
            closeChannel();
        }
        if (concurrency != null) {
            concurrency.close();
        }
    }

    /** {@link #serverClose()}: servers work with try-with-resources. */
    @Override
    public void close() {
        serverClose();
    }

    public boolean isClosed() {
        return loop.isClosed();
    }

    @Override
    public SocketAddress serverAddress() {
        return serverAddress;
    }

    /** Python's {@code fileno()}: the listening channel, to register with a selector. */
    public abstract SelectableChannel channel();

    /** The concurrency model this server composes; null for a server with its own {@link RequestProcessor}. */
    public ConcurrencyModel concurrency() {
        return concurrency;
    }

    /** The listening socket's own timeout, which only {@link #handleRequest()} uses; {@code null} by default. */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** Python's {@code server.socket.settimeout(t)}: {@code null} for none, zero for "do not wait". */
    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = requireNotNegative(socketTimeout);
    }

    /** Python's {@code timeout}: how long {@link #handleRequest()} waits; {@code null} (the default) for ever. */
    public Duration timeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = requireNotNegative(timeout);
    }

    // ------------------------------------------------------------------ hooks

    /** Binds the socket and records the real address in {@link #serverAddress}. */
    public abstract void serverBind() throws IOException;

    /**
     * Makes the bound socket ready to serve: switches it to the non-blocking mode the serve loop needs, then tells a
     * model that serves requests elsewhere that the socket is there to share (forking starts its workers on it).
     */
    public void serverActivate() throws IOException {
        channel().configureBlocking(false);
        if (servedElsewhere) {
            concurrency.serverActivated(this, channel());
        }
    }

    /** Takes one request from the socket; {@code null} if none was ready after all. */
    protected abstract IncomingRequest<R> getRequest() throws IOException;

    /** Python's {@code verify_request}: true to serve the request. Accepts everything by default. */
    protected boolean verifyRequest(R request, SocketAddress clientAddress) throws Exception {
        return true;
    }

    /**
     * Runs the request: hands it to the concurrency model, which serves it on this thread (synchronous), on a worker
     * ({@link #processRequestInWorker}), or in another process (forking).
     */
    protected void processRequest(R request, SocketAddress clientAddress) throws Exception {
        concurrency.dispatch(new HookedRequest<>(this, request, clientAddress));
    }

    /** What a worker runs: finish the request, report an {@link Exception}, and always shut the request down. */
    protected void processRequestInWorker(R request, SocketAddress clientAddress) {
        try {
            finishRequest(request, clientAddress);
        } catch (Exception e) {
            PythonHooks.handleErrorSafely(this, request, clientAddress, e);
        } finally {
            shutdownRequest(request);
        }
    }

    /** Makes a fresh handler and runs it on the request. */
    protected void finishRequest(R request, SocketAddress clientAddress) throws Exception {
        if (handlerFactory == null) {
            throw new IllegalStateException("this server runs no handler in its own process; its concurrency model "
                    + concurrency + " serves requests elsewhere");
        }
        handlerFactory.newHandler().run(request, clientAddress, this);
    }

    /** Ends a request; by default just {@link #closeRequest}. Stream servers half-close first, so the client reads EOF. */
    protected void shutdownRequest(R request) {
        closeRequest(request);
    }

    /** Releases a request's resources; nothing by default. */
    protected void closeRequest(R request) {
    }

    /**
     * Reports an exception raised while processing a request; the server goes on. Logs a warning with the
     * client address and the stack trace by default.
     */
    protected void handleError(R request, SocketAddress clientAddress, Throwable error) {
        LOG.log(Level.WARNING, () -> "Exception occurred during processing of request from " + clientAddress + " to " + serverAddress, error);
    }

    /**
     * Called when the concurrency model refused a request (a full pool). The request is shut down after it.
     * Logs one line by default.
     */
    protected void requestRefused(R request, SocketAddress clientAddress, RejectedExecutionException reason) {
        LOG.log(Level.WARNING, "Refused request from {0} to {1}: {2}", clientAddress, serverAddress, reason.getMessage());
    }

    /** Called by {@link #handleRequest()} when it times out; does nothing by default. */
    protected void handleTimeout() {
    }

    /** Called once per pass of {@link #serveForever}; does nothing by default. */
    protected void serviceActions() {
    }

    // ------------------------------------------------------------------ transport plumbing for subclasses

    /** The selector operations that mean "a request is ready" (accept or read). */
    protected abstract int readyOps();

    /** Closes the listening channel; called once by {@link #serverClose()}. */
    protected abstract void closeChannel();

    /**
     * {@link #serverBind()} then {@link #serverActivate()}, closing the server if either fails (CPython Issue #22435:
     * no leaked socket). Constructors call it unless told not to.
     */
    public final void bindAndActivate() throws IOException {
        try {
            serverBind();
            serverActivate();
        } catch (IOException | RuntimeException | Error e) {
            serverClose();
            throw e;
        }
    }

    // ------------------------------------------------------------------ dispatch

    /**
     * Takes one request and dispatches it (CPython's {@code _handle_request_noblock}).
     *
     * @return true if a request was taken
     */
    protected final boolean handleRequestNoblock() { // also called by ServeLoop
        IncomingRequest<R> incoming;
        try {
            incoming = getRequest();
        } catch (IOException e) {
            if (!loop.isClosed()) {
                acceptBackoff.failed(e, channel(), loop::isShutdownRequested);
            }
            return false;
        }
        if (incoming == null) {
            return false;
        }
        acceptBackoff.succeeded();
        processor.process(new AcceptedRequest<>(this, incoming.request(), incoming.clientAddress()));
        return true;
    }

    private Duration effectiveTimeout() {
        Duration own = timeout;
        Duration socket = socketTimeout;
        if (own == null) {
            return socket;
        }
        if (socket == null) {
            return own;
        }
        return own.compareTo(socket) <= 0 ? own : socket;
    }

    private static Duration requireNotNegative(Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + d);
        }
        return d;
    }

    /** True when called on the thread that runs {@link #serveForever}. */
    protected final boolean isServingThread() {
        return loop.isServingThread();
    }

    protected final void ensureOpen() {
        if (loop.isClosed()) {
            throw new IllegalStateException("server is closed");
        }
    }

}
