package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options {@code ./portside run} and {@code benchmarks/host.sh} start the host with: {@code launcher/jvm.options}
 * read by {@code launcher/jvm-options.sh}, whose version gates keep an option from a JDK that does not know it.
 */
class JvmOptionsTest {

    private static final Path LAUNCHER = Path.of("").toAbsolutePath();
    private static final Path READER = LAUNCHER.resolve("jvm-options.sh");
    private static final Path OPTIONS = LAUNCHER.resolve("jvm.options");

    @TempDir
    Path dir;

    @Test
    void commentsAndBlankLinesAreSkippedAndAGatedOptionAppliesFromItsVersionOn() throws IOException {
        Path file = dir.resolve("jvm.options");
        Files.writeString(file, """
                # a comment
                -Xms16m   # why, after the option

                  -XX:G1PeriodicGCInterval=60000
                23+ --sun-misc-unsafe-memory-access=allow
                25+ -XX:+UseCompactObjectHeaders
                """);
        assertEquals(List.of("-Xms16m", "-XX:G1PeriodicGCInterval=60000"), options(file, "21"));
        assertEquals(List.of("-Xms16m", "-XX:G1PeriodicGCInterval=60000", "--sun-misc-unsafe-memory-access=allow"),
                options(file, "24"));
        assertEquals(List.of("-Xms16m", "-XX:G1PeriodicGCInterval=60000", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseCompactObjectHeaders"), options(file, "25"));
        assertEquals(List.of("-Xms16m", "-XX:G1PeriodicGCInterval=60000"), options(file, ""), "an unknown version: no gated option");
    }

    @Test
    void aMissingFileGivesNoOptions() {
        assertEquals(List.of(), options(dir.resolve("none"), "25"));
    }

    @Test
    void theLaunchersOwnFileGivesJdk21NoOptionItDoesNotKnow() {
        List<String> on21 = options(OPTIONS, "21");
        assertTrue(on21.contains("--enable-native-access=ALL-UNNAMED"), on21.toString());
        assertFalse(on21.contains("-XX:+UseCompactObjectHeaders"), "a product option from JDK 25 on: " + on21);
        assertFalse(on21.contains("--sun-misc-unsafe-memory-access=allow"), "an option from JDK 23 on: " + on21);
        assertTrue(options(OPTIONS, "25").contains("-XX:+UseCompactObjectHeaders"));
    }

    /** The JDK that runs the tests (21 or newer) starts with every option the file gives it. */
    @Test
    void thisJdkStartsWithTheLaunchersOptions() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options(OPTIONS, String.valueOf(Runtime.version().feature())));
        command.add("-version");
        Result r = run(command);
        assertEquals(0, r.exit, command + ": " + r.out);
    }

    private static List<String> options(Path file, String version) {
        Result r = run(List.of("bash", "-c", ". \"$0\" && portside_jvm_options \"$1\" \"$2\"", READER.toString(), file.toString(), version));
        assertEquals(0, r.exit, r.out);
        return r.out.lines().toList();
    }

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within 60 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
