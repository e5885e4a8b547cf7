package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logger's level changed in {@code deploy/io.portside.logging.cfg} while the real launcher runs: the thread-reporter
 * sample's DEBUG line (a client that sends nothing) appears, survives a bad value, and is gone once the file is; the
 * file switches the console to JSON and back.
 */
class LogLevelsIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final String DEBUG_LINE = "[io.portside.sample.threadreporter] thread-reporter: /127.0.0.1:";

    @TempDir
    Path home;

    @Test
    void aLoggersLevelFollowsTheCfgAtRunTime() throws Exception {
        int port = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.writeString(deploy.resolve("io.portside.sample.threadreporter.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        Files.copy(sampleBundle("thread-reporter"), deploy.resolve("thread-reporter.jar"));
        try (LauncherProcess host = LauncherProcess.start(home)) {
            host.awaitLine(0, l -> l.contains("Listener thread-reporter-tcp bound tcp://127.0.0.1:" + port), SOON, "bound");

            int from = host.lineCount();
            writeAtomically(deploy, "level.io.portside.sample.threadreporter=DEBUG\nlevel.root=INFO\n");
            host.awaitLine(from, l -> l.contains("INFO    [io.portside.launcher] Logging configuration io.portside.logging applied: "
                    + "format text, levels {io.portside.sample.threadreporter=DEBUG, root=INFO}"), SOON, "the levels applied");
            JsonLogsIT.silentClient(port);
            host.awaitLine(from, l -> l.contains("DEBUG   " + DEBUG_LINE), SOON, "the handler's DEBUG line");

            from = host.lineCount();
            writeAtomically(deploy, "level.io.portside.sample.threadreporter=LOUD\nlevel.root=INFO\n");
            host.awaitLine(from, l -> l.contains("WARN    [io.portside.launcher] Logging configuration io.portside.logging: ignoring "
                    + "level.io.portside.sample.threadreporter=LOUD: not a level"), SOON, "the bad value refused in one line");
            JsonLogsIT.silentClient(port);
            host.awaitLine(from, l -> l.contains("DEBUG   " + DEBUG_LINE), SOON, "the DEBUG line still: the previous level stays");

            from = host.lineCount();
            writeAtomically(deploy, "format=json\n"); // the format too; the level key gone: the logger inherits again
            host.awaitLine(from, l -> l.startsWith("{\"time\":") && l.contains("\"event\":\"logging.configured\"")
                    && l.contains("format json, levels {}"), SOON, "the change told in JSON already");

            from = host.lineCount();
            Files.delete(deploy.resolve("io.portside.logging.cfg"));
            host.awaitLine(from, l -> l.contains("Logging configuration io.portside.logging applied: format text, levels {}"), SOON,
                    "the start levels back");
            int quiet = host.lineCount();
            JsonLogsIT.silentClient(port);
            Thread.sleep(500);
            List<String> after = host.linesFrom(quiet);
            assertTrue(after.stream().noneMatch(l -> l.contains(DEBUG_LINE)), "no DEBUG line once the file is gone:\n" + after);
            assertEquals(0, host.stop());
        }
    }

    /** As an operator should: write beside, then rename, so FileInstall never reads half a file. */
    private static void writeAtomically(Path deploy, String text) throws Exception {
        Path part = deploy.resolve(".io.portside.logging.cfg.part");
        Files.writeString(part, text);
        Files.move(part, deploy.resolve("io.portside.logging.cfg"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
