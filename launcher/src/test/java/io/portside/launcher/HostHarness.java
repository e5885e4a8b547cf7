package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Boots a real host (the launcher's own {@link Host}) in a temporary home for integration tests, and offers what
 * the tests do to it: drop files into deploy/ the way users are told to (copy, then rename), read the listeners'
 * state from the host's exported runtime view ({@link #listener}, {@link #awaitListener}), read the log where its
 * lines are what is tested, and talk to listeners over loopback.
 */
final class HostHarness implements AutoCloseable {

    private static final Logger ROOT = Logger.getLogger("");
    /** For {@link #awaitLogEntry}: lines logged at any time. */
    static final long ANY_TIME = Long.MIN_VALUE;

    private final Host host;
    private final LogCapture log;

    private HostHarness(Host host, LogCapture log) {
        this.host = host;
        this.log = log;
    }

    /** A host with a 100 ms deploy poll and no seeded samples, unless {@code overrides} say otherwise. */
    static HostHarness start(Path home, Map<String, String> overrides) throws Exception {
        LogCapture capture = new LogCapture();
        ROOT.addHandler(capture);
        Map<String, String> props = new HashMap<>();
        props.put("felix.fileinstall.poll", "100");
        props.put("portside.seed.samples", "false");
        props.put("portside.shutdown.grace", "1s");
        props.putAll(overrides);
        try {
            return new HostHarness(Host.start(home, props), capture);
        } catch (Exception e) {
            ROOT.removeHandler(capture);
            throw e;
        }
    }

    Host host() {
        return host;
    }

    Path deploy() {
        return host.deployFolder();
    }

    /** Copies a jar into deploy/ under a temporary name, then renames it into place. */
    void deploy(Path jar, String name) throws IOException {
        Path tmp = deploy().resolve(name + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes a configuration file into deploy/ (temporary name first, then renamed). */
    void writeConfig(String name, String content) throws IOException {
        Path tmp = deploy().resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes a new configuration file and waits until FileInstall has created the configuration, so that a bundle
     * deployed next starts with it (and never binds its default endpoints first).
     */
    void writeNewConfig(String name, String content) throws IOException {
        writeConfig(name, content);
        String base = name.substring(0, name.lastIndexOf('.'));
        int dash = base.indexOf('-');
        String pid = dash < 0 ? base : base.substring(0, dash) + "~" + base.substring(dash + 1);
        awaitLog("Creating configuration \\{" + Pattern.quote(pid) + "\\}", Duration.ofSeconds(10));
    }

    void delete(String name) throws IOException {
        Files.delete(deploy().resolve(name));
    }

    /** Waits for a log line matching {@code regex}; returns it. */
    String awaitLog(String regex, Duration timeout) {
        return awaitLogEntry(regex, timeout, ANY_TIME).line();
    }

    /** Waits for a log line matching {@code regex} logged after {@code sinceNanos} ({@link System#nanoTime()}). */
    LogEntry awaitLogEntry(String regex, Duration timeout, long sinceNanos) {
        Pattern p = Pattern.compile(regex);
        LogEntry[] found = new LogEntry[1];
        await(() -> (found[0] = log.find(p, sinceNanos)) != null, timeout,
                () -> "a log line matching /" + regex + "/; log so far:\n" + log.dump());
        return found[0];
    }

    /** The host's runtime view as JSON: the public {@code portside:json} command, run through Gogo's API. */
    String runtimeJson() throws Exception {
        return String.valueOf(GogoCommands.execute(host.context(), "portside:json"));
    }

    /** The host's runtime view now (the exported {@code SocketServerRuntime}, as {@code portside:json} shows it). */
    RuntimeListener.Snapshot runtime() {
        try {
            return RuntimeListener.Snapshot.parse(runtimeJson());
        } catch (Exception e) {
            throw new AssertionError("cannot read the runtime view: " + e, e);
        }
    }

    /** The listener called {@code name} as the runtime view shows it now, or null. */
    RuntimeListener listener(String name) {
        return runtime().named(name);
    }

    /** Waits until the listener called {@code name} is in the view and {@code condition} holds for it; returns it. */
    RuntimeListener awaitListener(String name, Predicate<RuntimeListener> condition, Duration timeout) {
        return awaitNamed(name, l -> l != null && condition.test(l), timeout, "to match");
    }

    /**
     * Waits until listener {@code name} has closed its socket for want of a handler: it is gone from the view, or (once
     * the host has reconciled again) a configured listener waiting because no handler matches.
     */
    void awaitUnbound(String name, Duration timeout) {
        awaitNamed(name, l -> l == null || l.unboundForWantOfAHandler(), timeout, "to be unbound");
    }

    /** Polls the view until {@code condition} holds for the listener called {@code name} (null while there is none). */
    private RuntimeListener awaitNamed(String name, Predicate<RuntimeListener> condition, Duration timeout, String what) {
        RuntimeListener.Snapshot[] last = new RuntimeListener.Snapshot[1];
        await(() -> condition.test((last[0] = runtime()).named(name)), timeout,
                () -> "listener " + name + " in the runtime view " + what + "; last view: " + last[0]);
        return last[0].named(name);
    }

    /** Waits until listener {@code name} is bound on {@code endpoint} (e.g. {@code tcp://127.0.0.1:9999}); returns it. */
    RuntimeListener awaitBound(String name, String endpoint, Duration timeout) {
        return awaitListener(name, l -> l.bound() && l.endpoint().equals(endpoint), timeout);
    }

    /** The bundle with this symbolic name, or null. */
    org.osgi.framework.Bundle bundle(String symbolicName) {
        for (org.osgi.framework.Bundle b : host.context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    List<String> logLines() {
        return log.lines();
    }

    /** Log lines logged at or after {@code sinceNanos} ({@link System#nanoTime()}). */
    List<String> logLinesSince(long sinceNanos) {
        return log.linesSince(sinceNanos);
    }

    @Override
    public void close() {
        try {
            host.stop();
        } finally {
            ROOT.removeHandler(log);
        }
    }

    // ------------------------------------------------------------------ static helpers

    /** A jar built by this build for the tests (banner-v1, banner-v2). */
    static Path testBundle(String name) {
        return Path.of(System.getProperty("portside.test.bundles", "target/test-bundles")).resolve(name + ".jar");
    }

    /** A sample bundle as embedded in the launcher. */
    static Path sampleBundle(String name) {
        return Path.of("target/classes/samples").resolve(name + ".jar");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends one line on a fresh connection and reads one line back; null if the connection could not be made. */
    static String exchange(int port, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            return exchange(s, line);
        } catch (ConnectException refused) {
            return null;
        }
    }

    static String exchange(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readLine(s.getInputStream());
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return c == -1 && sb.length() == 0 ? null : sb.toString();
    }

    /** Waits until {@code port} answers {@code line} with {@code expected}. */
    static void awaitAnswer(int port, String line, String expected, Duration timeout) {
        String[] last = new String[1];
        await(() -> {
            try {
                last[0] = exchange(port, line);
            } catch (IOException e) {
                last[0] = e.toString();
            }
            return expected.equals(last[0]);
        }, timeout, "port " + port + " to answer '" + expected + "' (last answer: " + last[0] + ")");
    }

    static void awaitRefused(int port, Duration timeout) {
        await(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return false;
            } catch (IOException e) {
                return true;
            }
        }, timeout, "port " + port + " to refuse connections");
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        await(condition, timeout, () -> what);
    }

    /** As {@link #await(BooleanSupplier, Duration, String)}, describing what was awaited only on a time-out. */
    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A captured log line and when it was logged ({@link System#nanoTime()}). */
    record LogEntry(String line, long nanos) {
    }

    /** Collects formatted log lines of the whole JVM while a host runs. */
    static final class LogCapture extends Handler {
        private final List<LogEntry> entries = new ArrayList<>();
        private final ConsoleLogging.OneLineFormatter format = new ConsoleLogging.OneLineFormatter(false);

        @Override
        public synchronized void publish(LogRecord r) {
            entries.add(new LogEntry(format.format(r).strip(), System.nanoTime()));
        }

        synchronized LogEntry find(Pattern p, long sinceNanos) {
            for (LogEntry e : entries) {
                if ((sinceNanos == ANY_TIME || e.nanos() - sinceNanos >= 0) && p.matcher(e.line()).find()) {
                    return e;
                }
            }
            return null;
        }

        synchronized List<String> lines() {
            return entries.stream().map(LogEntry::line).toList();
        }

        synchronized List<String> linesSince(long sinceNanos) {
            return entries.stream().filter(e -> e.nanos() - sinceNanos >= 0).map(LogEntry::line).toList();
        }

        synchronized String dump() {
            return String.join("\n", lines());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
