package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Levels and format from a logging configuration: applied, reset when gone, and a bad value changes nothing. */
class LogControlTest {

    private static final String HOST = "io.portside.test.host";
    private static final String POLICY = "io.portside.test.policy";
    private final Logger root = Logger.getLogger("");
    private final Logger launcher = Logger.getLogger("io.portside.launcher");
    private final List<LogRecord> said = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            said.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Handler console = new ConsoleLogging.StandardOutHandler();
    private Level rootBefore;

    @BeforeEach
    void capture() {
        rootBefore = root.getLevel();
        launcher.addHandler(capture);
    }

    @AfterEach
    void restore() {
        launcher.removeHandler(capture);
        root.setLevel(rootBefore);
        Logger.getLogger(HOST).setLevel(null);
        Logger.getLogger(POLICY).setLevel(null);
    }

    @Test
    void levelsApplyAndRemovedKeysReset() {
        LogControl c = new LogControl(console, LogSettings.ConsoleFormat.TEXT, false, Level.INFO);
        c.apply(Map.of("level.io.portside.test.host", "DEBUG", "level.io.portside.test.policy", "warning", "level.root", "INFO",
                "service.pid", "io.portside.logging", "felix.fileinstall.filename", "file:/x/io.portside.logging.cfg"));
        assertEquals(Level.FINE, Logger.getLogger(HOST).getLevel());
        assertEquals(Level.WARNING, Logger.getLogger(POLICY).getLevel());
        assertTrue(Logger.getLogger(HOST).isLoggable(Level.FINE));
        assertEquals(1, said.size(), "one line says what applies: " + said);
        assertEquals("Logging configuration io.portside.logging applied: format text, levels {io.portside.test.host=DEBUG, "
                + "io.portside.test.policy=WARN, root=INFO}", new ConsoleLogging.OneLineFormatter(false).formatMessage(said.get(0)));

        c.apply(Map.of("level.io.portside.test.policy", "ERROR", "level.root", "WARN"));
        assertNull(Logger.getLogger(HOST).getLevel(), "a removed key: the logger inherits again");
        assertEquals(Level.SEVERE, Logger.getLogger(POLICY).getLevel());
        assertEquals(Level.WARNING, root.getLevel());

        c.apply(Map.of()); // the file was removed
        assertNull(Logger.getLogger(POLICY).getLevel());
        assertEquals(Level.INFO, root.getLevel(), "the root's start level again");
    }

    @Test
    void aBadValueIsOneLineAndKeepsThePreviousLevel() {
        LogControl c = new LogControl(console, LogSettings.ConsoleFormat.TEXT, false, Level.INFO);
        c.apply(Map.of("level.io.portside.test.host", "DEBUG"));
        said.clear();
        c.apply(Map.of("level.io.portside.test.host", "LOUD", "format", "xml", "colour", "blue"));
        assertEquals(Level.FINE, Logger.getLogger(HOST).getLevel(), "fail closed: the previous level stays");
        assertTrue(console.getFormatter() instanceof ConsoleLogging.OneLineFormatter);
        assertEquals(3, said.size(), said.toString());
        for (LogRecord r : said) {
            assertEquals(Level.WARNING, r.getLevel());
        }
        String first = new ConsoleLogging.OneLineFormatter(false).formatMessage(said.get(1));
        assertEquals("Logging configuration io.portside.logging: ignoring format=xml: not a format (text, json); the console keeps its format",
                first);
        assertTrue(new ConsoleLogging.OneLineFormatter(false).formatMessage(said.get(2))
                .contains("level.io.portside.test.host=LOUD: not a level"), said.toString());
    }

    @Test
    void theFormatSwitchesAndSwitchesBack() {
        LogControl c = new LogControl(console, LogSettings.ConsoleFormat.TEXT, false, Level.INFO);
        c.apply(Map.of("format", "JSON"));
        assertTrue(console.getFormatter() instanceof JsonLineFormatter);
        c.apply(Map.of());
        assertTrue(console.getFormatter() instanceof ConsoleLogging.OneLineFormatter);
    }

    @Test
    void levelNames() {
        assertEquals(Level.SEVERE, LogSettings.level("error"));
        assertEquals(Level.FINEST, LogSettings.level(" TRACE "));
        assertEquals(Level.OFF, LogSettings.level("off"));
        assertNull(LogSettings.level("800"), "no numbers: a typo must not become a level");
        assertNull(LogSettings.level(""));
    }
}
