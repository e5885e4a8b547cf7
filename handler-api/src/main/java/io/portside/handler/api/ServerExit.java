package io.portside.handler.api;

/**
 * The Java analogue of Python's {@code SystemExit}: thrown by a handler to stop rather than to report an error.
 *
 * <p>Like every {@link Error}, it bypasses the server's {@code handleError}. The request is still closed.
 * On a synchronous server it ends {@code serveForever}/{@code handleRequest} and propagates to the caller;
 * on a threaded server it reaches the worker thread's uncaught-exception handler; in a forking worker
 * it ends that worker only.
 */
public class ServerExit extends Error {
    private static final long serialVersionUID = 1L;

    public ServerExit(String message) {
        super(message);
    }
}
