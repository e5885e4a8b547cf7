package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the launcher installs: every line the console prints has passed the limiter. */
class ConsoleLoggingTest {

    private final Logger root = Logger.getLogger("");
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Handler[] saved;
    private PrintStream savedOut;

    @BeforeEach
    void captureTheConsole() {
        saved = root.getHandlers();
        savedOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
            h.close();
        }
        for (Handler h : saved) {
            root.addHandler(h);
        }
        System.setOut(savedOut);
        Thread.setDefaultUncaughtExceptionHandler(null);
        System.clearProperty(LogLimits.WINDOW_PROPERTY);
        System.clearProperty(LogLimits.BURST_PROPERTY);
    }

    private List<String> lines() {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aFloodThroughSystemLoggerPrintsItsBurstAndASummary() {
        System.setProperty(LogLimits.WINDOW_PROPERTY, "3s");
        System.setProperty(LogLimits.BURST_PROPERTY, "3");
        ConsoleLogging.install();
        assertEquals(1, root.getHandlers().length);
        assertTrue(root.getHandlers()[0] instanceof RateLimitingHandler, "the limiter is the root's only handler");

        System.Logger log = System.getLogger("io.portside.host"); // as the host logs: System.Logger, mapped to JUL
        for (int i = 0; i < 1_000; i++) {
            log.log(System.Logger.Level.INFO, "Listener {0}: rejected {1}: {2}", "guarded", "/127.0.0.1:" + (40000 + i), "noloop");
        }
        HostHarness.await(() -> lines().size() == 4, Duration.ofSeconds(10), "3 lines and a summary: " + lines());
        assertTrue(lines().get(0).endsWith("INFO    [io.portside.host] Listener guarded: rejected /127.0.0.1:40000: noloop"), lines().get(0));
        assertTrue(lines().get(3).endsWith("INFO    [io.portside.host] ... and 997 more like this in the last 3 s on listener guarded: "
                + "\"Listener {0}: rejected {1}: {2}\""), lines().get(3));
    }

    @Test
    void aBadLimitIsOneWarningAndTheDefaultApplies() {
        System.setProperty(LogLimits.BURST_PROPERTY, "lots");
        ConsoleLogging.install();
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("WARN    [io.portside.launcher] Ignoring -Dportside.log.burst='lots': expected a whole number of at "
                + "least 1; using 10"), lines.get(0));
    }

    @Test
    void installingLeavesSystemErrOpen() {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ConsoleLogging.install();
            System.err.print("still here");
            assertTrue(!System.err.checkError() && err.toString(StandardCharsets.UTF_8).equals("still here"), "System.err was closed");
        } finally {
            System.setErr(savedErr);
        }
    }

    @Test
    void whateverEscapesAThreadIsOneLogLine() throws InterruptedException {
        ConsoleLogging.install();
        Thread.ofVirtual().name("a-handler-thread").start(() -> {
            throw new IllegalStateException("escaped");
        }).join();
        HostHarness.await(() -> !lines().isEmpty(), Duration.ofSeconds(5), "a line");
        assertTrue(lines().get(0).contains("ERROR   [io.portside.launcher] Thread a-handler-thread ended by java.lang.IllegalStateException: escaped"),
                lines().toString());
    }
}
