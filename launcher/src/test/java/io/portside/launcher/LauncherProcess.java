package io.portside.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The executable launcher jar run as users run it, in its own JVM, through {@code sh -c} so a test can set the umask
 * first; its output (stdout and stderr) is collected line by line.
 */
final class LauncherProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private LauncherProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** {@code umask UMASK; exec java JVM_OPTIONS -jar launcher-all.jar run --home HOME}. */
    static LauncherProcess start(String umask, Path home, List<String> jvmOptions) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--home", home.toString()));
        StringBuilder line = new StringBuilder("umask " + umask + "; exec");
        for (String arg : cmd) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return new LauncherProcess(new ProcessBuilder("sh", "-c", line.toString()).redirectErrorStream(true).start());
    }

    Process process() {
        return process;
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Waits for an output line containing {@code text}. */
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

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
