package io.portside.server.forking;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The knobs of {@link ForkingModel}: Python's {@code ForkingMixIn} attributes, plus what a JVM worker needs.
 *
 * <table>
 * <caption>Knobs and defaults</caption>
 * <tr><th>knob</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@link #maxChildren}</td><td>40</td><td>Python's {@code max_children}: at most this many worker processes at once.
 *     With every one busy, the serve loop waits (new connections queue in the listen backlog) and the request it holds
 *     waits up to {@link #workerWait} for a free worker; then it is refused ({@code requestRefused}: the client reads
 *     EOF, a datagram is dropped).</td></tr>
 * <tr><td>{@link #workerWait}</td><td>10 s</td><td>How long a request may wait for a free worker (Python waits for ever).</td></tr>
 * <tr><td>{@link #blockOnClose}</td><td>true</td><td>Python's {@code block_on_close}: {@code serverClose} waits until every
 *     worker has finished its request and exited. False: it returns at once and busy workers exit after their request.</td></tr>
 * <tr><td>{@link #minIdle}</td><td>2</td><td>Workers started ahead of demand and kept idle (prefork).</td></tr>
 * <tr><td>{@link #requestsPerWorker}</td><td>0</td><td>A worker exits after serving this many requests and is replaced; 0 never.</td></tr>
 * <tr><td>{@link #startupTimeout}</td><td>20 s</td><td>How long a worker JVM may take to start and load the handler class.</td></tr>
 * <tr><td>{@link #jvmOptions}</td><td>{@link #DEFAULT_JVM_OPTIONS}</td><td>Options of each worker JVM: heap limit, exit on
 *     {@code OutOfMemoryError}, a small JIT and GC footprint.</td></tr>
 * <tr><td>{@link #workerClassPath}</td><td>{@code java.class.path}</td><td>The worker's class path: it must hold
 *     handler-api, server-core and junixsocket (the handler class may come from {@link HandlerClass#classPath()}).</td></tr>
 * <tr><td>{@link #javaCommand}</td><td>this JVM's {@code bin/java}</td><td>The {@code java} launcher for workers.</td></tr>
 * </table>
 *
 * @param maxChildren       bound on concurrent worker processes (at least 1)
 * @param minIdle           workers kept started and idle ahead of demand (0 to start them on demand only)
 * @param requestsPerWorker requests a worker serves before it is recycled; 0 for no limit
 * @param workerWait        how long a request waits for a free worker before it is refused
 * @param startupTimeout    how long a worker may take to become ready
 * @param jvmOptions        options for each worker JVM (before the class path)
 * @param blockOnClose      whether {@code close} waits for busy workers to finish and exit
 * @param workerClassPath   the worker JVM's class path
 * @param javaCommand       the {@code java} executable to start workers with
 */
public record ForkingOptions(int maxChildren, int minIdle, int requestsPerWorker, Duration workerWait, Duration startupTimeout,
        List<String> jvmOptions, boolean blockOnClose, List<Path> workerClassPath, Path javaCommand) {

    /** Python's {@code ForkingMixIn.max_children}. */
    public static final int DEFAULT_MAX_CHILDREN = 40;
    public static final int DEFAULT_MIN_IDLE = 2;
    public static final Duration DEFAULT_WORKER_WAIT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(20);
    /**
     * A 64 MB heap, exit at once on {@code OutOfMemoryError} (so a worker that ran out never limps on), the serial
     * collector and the C1 compiler only (many small JVMs on few cores: short warm-up, little compiler CPU), no
     * perf-data file in {@code /tmp}.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    public ForkingOptions {
        if (maxChildren < 1) {
            throw new IllegalArgumentException("maxChildren must be at least 1: " + maxChildren);
        }
        if (minIdle < 0 || requestsPerWorker < 0) {
            throw new IllegalArgumentException("minIdle and requestsPerWorker must not be negative: " + minIdle + ", " + requestsPerWorker);
        }
        requirePositive(workerWait, "workerWait");
        requirePositive(startupTimeout, "startupTimeout");
        jvmOptions = List.copyOf(jvmOptions);
        workerClassPath = List.copyOf(workerClassPath);
        if (workerClassPath.isEmpty()) {
            throw new IllegalArgumentException("workerClassPath must not be empty");
        }
        Objects.requireNonNull(javaCommand, "javaCommand");
    }

    /** The defaults: Python's {@code max_children} of 40, {@code block_on_close}, this JVM's class path and launcher. */
    public static ForkingOptions defaults() {
        return new ForkingOptions(DEFAULT_MAX_CHILDREN, DEFAULT_MIN_IDLE, 0, DEFAULT_WORKER_WAIT, DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_JVM_OPTIONS, true, currentClassPath(), currentJava());
    }

    public ForkingOptions withMaxChildren(int n) {
        return new ForkingOptions(n, minIdle, requestsPerWorker, workerWait, startupTimeout, jvmOptions, blockOnClose, workerClassPath, javaCommand);
    }

    public ForkingOptions withMinIdle(int n) {
        return new ForkingOptions(maxChildren, n, requestsPerWorker, workerWait, startupTimeout, jvmOptions, blockOnClose, workerClassPath, javaCommand);
    }

    public ForkingOptions withRequestsPerWorker(int n) {
        return new ForkingOptions(maxChildren, minIdle, n, workerWait, startupTimeout, jvmOptions, blockOnClose, workerClassPath, javaCommand);
    }

    public ForkingOptions withWorkerWait(Duration d) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, d, startupTimeout, jvmOptions, blockOnClose, workerClassPath, javaCommand);
    }

    public ForkingOptions withStartupTimeout(Duration d) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, workerWait, d, jvmOptions, blockOnClose, workerClassPath, javaCommand);
    }

    public ForkingOptions withJvmOptions(List<String> options) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, workerWait, startupTimeout, options, blockOnClose, workerClassPath, javaCommand);
    }

    /** These options with {@code extra} appended to the JVM options (later ones win, e.g. a second {@code -Xmx}). */
    public ForkingOptions withExtraJvmOptions(List<String> extra) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(extra);
        return withJvmOptions(all);
    }

    public ForkingOptions withBlockOnClose(boolean block) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, workerWait, startupTimeout, jvmOptions, block, workerClassPath, javaCommand);
    }

    public ForkingOptions withWorkerClassPath(List<Path> classPath) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, workerWait, startupTimeout, jvmOptions, blockOnClose, classPath, javaCommand);
    }

    public ForkingOptions withJavaCommand(Path java) {
        return new ForkingOptions(maxChildren, minIdle, requestsPerWorker, workerWait, startupTimeout, jvmOptions, blockOnClose, workerClassPath, java);
    }

    /** This JVM's class path ({@code java.class.path}), entry by entry. */
    public static List<Path> currentClassPath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry));
            }
        }
        return entries.isEmpty() ? List.of(Path.of(".")) : entries;
    }

    /** This JVM's {@code java} launcher. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
