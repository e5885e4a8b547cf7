package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** Felix's own log lines become java.util.logging records, at the matching level, text untouched. */
class FelixFrameworkLogTest {

    @Test
    void felixLevelsMapToLoggingLevels() {
        Logger felix = Logger.getLogger(FelixFrameworkLog.LOGGER);
        List<LogRecord> got = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                got.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        felix.addHandler(h);
        felix.setLevel(Level.ALL);
        FelixFrameworkLog log = new FelixFrameworkLog();
        log.setLogLevel(4);
        try {
            RuntimeException e = new RuntimeException("x");
            log.log(1, "Bundle {1} failed", e); // as Felix calls it: through its own level check
            log.log(2, "w", null);
            log.log(3, "i", null);
            log.log(4, "d", null);
            assertEquals(List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.FINE), got.stream().map(LogRecord::getLevel).toList());
            assertEquals("Bundle {1} failed", got.get(0).getMessage());
            assertNull(got.get(0).getParameters());
            assertSame(e, got.get(0).getThrown());
        } finally {
            felix.removeHandler(h);
            felix.setLevel(null);
        }
    }
}
