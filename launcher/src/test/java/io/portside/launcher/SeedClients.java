package io.portside.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the seeds' Python clients ({@code src/test/resources/seeds}) as real client processes. Tests that use them
 * are skipped where no {@code python3} is installed.
 */
final class SeedClients {

    /** What a client process did. */
    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static volatile Boolean available;

    private SeedClients() {
    }

    /** Skips the calling test unless {@code python3} runs. */
    static void assumePython() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        assumeTrue(available, "python3 is not installed: the seeds' clients cannot run");
    }

    /**
     * Runs {@code script} with {@code args}, in {@code workDir}, with {@code env} added, feeding {@code stdin}
     * and closing it; waits at most 60 s.
     */
    static Run run(String script, Map<String, String> env, Path workDir, String stdin, String... args) throws Exception {
        assumePython();
        Path scriptFile = workDir.resolve(".seed-" + script);
        try (InputStream in = SeedClients.class.getResourceAsStream("/seeds/" + script)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed client " + script);
            }
            Files.copy(in, scriptFile, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("python3", "-u", scriptFile.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream toClient = p.getOutputStream()) {
            toClient.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within 60 s; output so far: " + out.getNow("?"));
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    /** The environment that points a client at {@code port} on 127.0.0.1. */
    static Map<String, String> at(int port) {
        return Map.of("PORTSIDE_HOST", "127.0.0.1", "PORTSIDE_PORT", String.valueOf(port));
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
