package io.portside.server.forking;

/**
 * An exception a handler raised in a worker process, as the server's {@code handleError} sees it: the original
 * exception's class name, message and stack trace (its causes become causes here), rebuilt in the server's JVM,
 * where the original class may not even exist.
 */
public class WorkerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String exceptionClass;
    private final long workerPid;

    public WorkerException(String exceptionClass, String message, long workerPid, StackTraceElement[] stackTrace, Throwable cause) {
        super(message == null ? exceptionClass : exceptionClass + ": " + message, cause, true, true);
        this.exceptionClass = exceptionClass;
        this.workerPid = workerPid;
        setStackTrace(stackTrace);
    }

    /** The binary name of the exception's class in the worker, e.g. {@code java.lang.IllegalStateException}. */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** The process id of the worker that raised it. */
    public long workerPid() {
        return workerPid;
    }

    @Override
    public String toString() {
        return getMessage() + " (in worker pid " + workerPid + ")";
    }
}
