package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/**
 * The launcher's console logging leaves the process's standard streams usable: stderr stays open once it is installed
 * (uncaught exceptions and the output of forking workers go there), and stdout stays open when JUL closes its handlers
 * at JVM exit, so nothing logged or printed after that is lost.
 */
class ConsoleLoggingTest {

    /** A standard stream stand-in that records whether anyone closed it. */
    private static final class Stream extends PrintStream {
        final ByteArrayOutputStream bytes;
        volatile boolean closed;

        Stream(ByteArrayOutputStream bytes) {
            super(bytes, true, StandardCharsets.UTF_8);
            this.bytes = bytes;
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void installingLeavesStderrOpenAndClosingTheHandlerLeavesStdoutOpen() {
        Logger root = Logger.getLogger("");
        Handler[] saved = root.getHandlers();
        Level savedLevel = root.getLevel();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        Stream out = new Stream(new ByteArrayOutputStream());
        Stream err = new Stream(new ByteArrayOutputStream());
        System.setOut(out);
        System.setErr(err);
        try {
            ConsoleLogging.install();
            Logger.getLogger("io.portside.test").info("a line for the console");
            assertFalse(err.closed, "stderr was closed by installing the console logging");
            System.err.println("stderr still works");

            for (Handler h : root.getHandlers()) {
                h.close(); // what LogManager's reset does at JVM exit
            }
            assertFalse(out.closed, "stdout was closed with the console handler");
        } finally {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : saved) {
                root.addHandler(h);
            }
            root.setLevel(savedLevel);
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertTrue(out.text().contains("INFO    [io.portside.test] a line for the console"), out.text());
        assertTrue(err.text().contains("stderr still works"), err.text());
    }
}
