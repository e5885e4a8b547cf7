package io.portside.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The executable jar as users run it ({@code java -jar launcher-all.jar run --home DIR}) in its own JVM, with every
 * line it prints kept, so tests can count what a user's terminal or log file would get.
 */
final class LauncherProcess implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final List<String> output = new ArrayList<>();

    private LauncherProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(this::readOutput);
    }

    /** Starts the launcher jar on {@code home}; {@code jvmOptions} go before {@code -jar} (e.g. {@code -Dportside.log.window=3s}). */
    static LauncherProcess start(Path home, String... jvmOptions) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dportside.shutdown.grace=1s"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString(), "run", "--home", home.toString()));
        return new LauncherProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** How many lines it has printed so far. */
    int lineCount() {
        synchronized (output) {
            return output.size();
        }
    }

    /** The lines printed from line {@code from} (a {@link #lineCount()}) on. */
    List<String> linesFrom(int from) {
        synchronized (output) {
            return List.copyOf(output.subList(from, output.size()));
        }
    }

    /** Waits until some line from line {@code from} on matches; returns it. */
    String awaitLine(int from, Predicate<String> match, Duration timeout, String what) {
        String[] found = new String[1];
        HostHarness.await(() -> (found[0] = linesFrom(from).stream().filter(match).findFirst().orElse(null)) != null, timeout,
                what + "; output so far:\n" + tail(from));
        return found[0];
    }

    /** The output from line {@code from} on, at most its first 40 and last 20 lines, for failure messages. */
    String tail(int from) {
        List<String> lines = linesFrom(from);
        if (lines.size() <= 60) {
            return String.join("\n", lines);
        }
        return String.join("\n", lines.subList(0, 40)) + "\n... (" + (lines.size() - 60) + " more lines) ...\n"
                + String.join("\n", lines.subList(lines.size() - 20, lines.size()));
    }

    /**
     * {@code SETUP; exec java JVM_OPTIONS -jar launcher-all.jar run --home HOME}, through {@code sh -c} so that the
     * setup ({@code umask 000}, {@code ulimit -n 400}) applies to the host alone.
     */
    static LauncherProcess startInShell(String setup, Path home, List<String> jvmOptions) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--home", home.toString()));
        StringBuilder line = new StringBuilder(setup + " && exec");
        for (String arg : cmd) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return new LauncherProcess(new ProcessBuilder("sh", "-c", line.toString()).redirectErrorStream(true).start());
    }

    Process process() {
        return process;
    }

    /** Everything printed so far. */
    List<String> output() {
        return linesFrom(0);
    }

    /** Waits for an output line containing {@code text}; fails at once if the launcher ends without printing it. */
    void awaitOutput(String text, Duration timeout) {
        HostHarness.await(() -> output().stream().anyMatch(l -> l.contains(text)) || !process.isAlive(), timeout,
                "output containing '" + text + "'");
        if (output().stream().noneMatch(l -> l.contains(text))) {
            throw new AssertionError("the launcher ended without printing '" + text + "':\n" + String.join("\n", output()));
        }
    }

    /** SIGTERM, then waits for the exit; its status. */
    int stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the launcher did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGTERM, then at most 30 s for a clean exit; forcibly after that. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.toHandle().destroy(); // SIGTERM only: Process.destroy() would also close our end of its output pipe
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
        } finally {
            process.destroyForcibly();
        }
    }
}
