package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JUL side: what reaches the real handlers, from which thread, and the timer's summaries. */
class RateLimitingHandlerTest {

    private volatile long now = 0;
    private final Captured target = new Captured();
    private final RateLimitingHandler handler = new RateLimitingHandler(
            new LogRateLimiter(new LogLimits(10, Duration.ofSeconds(10), 1000), () -> now), List.of(target), Duration.ofSeconds(10));

    @AfterEach
    void close() {
        handler.close();
    }

    private static LogRecord refused(int i) {
        LogRecord r = new LogRecord(Level.INFO, "file-transfer: refused {0} from {1}");
        r.setLoggerName("io.portside.sample.filetransfer");
        r.setParameters(new Object[] {"a command", "/127.0.0.1:" + (40000 + i)});
        return r;
    }

    /** Publishes on a thread named as the host names a request thread of {@code listener}. */
    private void publishOnRequestThreadOf(String listener, int lines) throws InterruptedException {
        Thread t = new Thread(() -> {
            for (int i = 0; i < lines; i++) {
                handler.publish(refused(i));
            }
        }, "portside-" + listener + "-virtual-7");
        t.start();
        t.join(10_000);
    }

    @Test
    void aFloodFromOneListenersRequestsPrintsItsBurstThenTheTimerLogsOneSummary() throws Exception {
        publishOnRequestThreadOf("file-transfer-tcp", 5_000);
        publishOnRequestThreadOf("second", 5);
        assertEquals(15, target.size(), "10 of the first listener's lines, all 5 of the second's");

        now += Duration.ofSeconds(10).toNanos(); // the timer ticks every second
        HostHarness.await(() -> target.size() == 16, Duration.ofSeconds(10), "the summary after the window ended in silence");
        LogRecord summary = target.get(15);
        assertEquals("... and 4,990 more like this in the last 10 s on listener file-transfer-tcp: \"file-transfer: refused {0} from {1}\"",
                summary.getMessage());
        assertEquals("io.portside.sample.filetransfer", summary.getLoggerName());
        assertEquals(Level.INFO, summary.getLevel());
    }

    @Test
    void recordsBelowTheLevelAreNeitherPrintedNorCounted() throws Exception {
        handler.setLevel(Level.INFO);
        for (int i = 0; i < 100; i++) {
            LogRecord debug = refused(i);
            debug.setLevel(Level.FINE);
            handler.publish(debug);
        }
        handler.close();
        assertEquals(0, target.size());
    }

    @Test
    void closingLogsWhatIsHeldBack() throws Exception {
        publishOnRequestThreadOf("file-transfer-tcp", 12);
        handler.close();
        assertEquals(11, target.size());
        assertTrue(target.get(10).getMessage().startsWith("... and 2 more like this"), target.get(10).getMessage());
        assertTrue(target.closed);
    }

    private static final class Captured extends Handler {
        private final List<LogRecord> records = new ArrayList<>();
        volatile boolean closed;

        @Override
        public synchronized void publish(LogRecord r) {
            records.add(r);
        }

        synchronized int size() {
            return records.size();
        }

        synchronized LogRecord get(int i) {
            return records.get(i);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
