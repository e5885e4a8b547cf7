package io.portside.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A load balancer from the system's packages (haproxy, nginx) run in the foreground for a test: its configuration is
 * checked by the tool itself first, its output is kept for failure messages, and closing it kills it.
 */
final class BalancerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new ArrayList<>();

    private BalancerProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::readOutput);
    }

    /** The tool on PATH or in the sbin folders Debian installs daemons to; empty if not installed. */
    static Optional<Path> find(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    /** Runs {@code check} (e.g. {@code haproxy -c -f CFG}), failing with its output unless it exits 0, then starts {@code run}. */
    static BalancerProcess checkAndStart(List<String> check, List<String> run) throws IOException, InterruptedException {
        Process checking = new ProcessBuilder(check).redirectErrorStream(true).start();
        String said = new String(checking.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!checking.waitFor(30, TimeUnit.SECONDS) || checking.exitValue() != 0) {
            throw new AssertionError(String.join(" ", check) + " refused the configuration:\n" + said);
        }
        return new BalancerProcess(new ProcessBuilder(run).redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
