package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portside.launcher.HostStatus.Counters;
import io.portside.launcher.HostStatus.Failure;
import io.portside.launcher.HostStatus.Figures;
import io.portside.launcher.HostStatus.Listener;
import io.portside.launcher.HostStatus.Revision;

/** The status as JSON, as the table {@code portside status} prints, and as {@code portside top} frames. */
class StatusFormatTest {

    static final Revision ECHO_1 = new Revision("echo", "io.portside.sample.echo", "1.0.0", 42, 0, 1);
    static final Revision ECHO_2 = new Revision("echo", "io.portside.sample.echo", "2.0.0", 57, 0, 2);

    static Listener bound(String name, long accepted, long bytesIn) {
        return new Listener(name, "tcp://127.0.0.1:9999", "BOUND", ECHO_2, List.of(), List.of(ECHO_1), "virtual", List.of("address"),
                new Counters(3, accepted, 2, 1, 0, 0, 0, 0, bytesIn, bytesIn * 2, null), null, null);
    }

    static Listener failed() {
        return new Listener("busy", "tcp://127.0.0.1:8080", "FAILED", null, List.of(ECHO_1), List.of(), "-", List.of(),
                new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null), "port 8080 is \"taken\"\nby another process", "BIND_FAILED");
    }

    static HostStatus status(List<Listener> listeners) {
        return new HostStatus(4242, "/srv/portside", 125_000, 7, listeners, new Figures(57, 1024, 31, -1),
                List.of(new Failure("2026-11-30T20:00:00Z", "busy", "tcp://127.0.0.1:8080", "BIND_FAILED", "port 8080 is taken")));
    }

    @Test
    void jsonReadsBackAsWritten() {
        HostStatus s = status(List.of(bound("echo-tcp", 10, 100), failed()));
        String json = StatusJson.write(s);
        assertFalse(json.contains("\n"), "one line: " + json);
        assertEquals(s, StatusJson.read(json));
    }

    @Test
    void jsonListenersHaveTheKeysOfPortsideJson() {
        String json = StatusJson.write(status(List.of(bound("echo-tcp", 10, 100), failed())));
        // The tests' reader of portside:json reads it: the same names, types and meanings.
        RuntimeListener.Snapshot snapshot = RuntimeListener.Snapshot.parse(json);
        assertEquals(7, snapshot.changeCount());
        RuntimeListener echo = snapshot.named("echo-tcp");
        assertTrue(echo.serves("echo", "2.0.0"));
        assertEquals(10, echo.accepted());
        assertEquals(200, echo.bytesOut());
        assertEquals("1.0.0", echo.draining().getFirst().version());
        assertTrue(snapshot.named("busy").failed());
        assertTrue(snapshot.named("busy").failureMatches("taken\"\nby another"));
    }

    @Test
    void somethingElseIsNotAStatus() {
        assertThrows(IllegalArgumentException.class, () -> StatusJson.read("{\"pid\":1}"));
        assertThrows(IllegalArgumentException.class, () -> StatusJson.read("error: busy"));
        assertThrows(IllegalArgumentException.class, () -> StatusJson.read("{\"a\":[1,2}"));
    }

    @Test
    void jsonTextParsesWhatItQuotes() {
        String tricky = "a\"b\\c\n\t\u0001é";
        assertEquals(tricky, JsonReader.parse(JsonText.quoted(tricky)));
        assertEquals(List.of(1L, 2.5, true, false), JsonReader.parse(" [1, 2.5, true, false] "));
        assertNull(JsonReader.parse("null"));
    }

    @Test
    void tableShowsListenersRevisionsAndFailures() {
        String table = StatusTable.render(status(List.of(bound("echo-tcp", 10, 100), failed())));
        List<String> lines = table.lines().toList();
        assertEquals("Portside host 4242 on /srv/portside, up 2m 5s", lines.get(0));
        assertEquals("descriptors 57 / 1024, threads 31 / unlimited", lines.get(1));
        assertTrue(lines.get(3).matches("NAME +ENDPOINT +STATE +HANDLER \\(BUNDLE VERSION\\) +CONCURRENCY +OPEN +ACCEPTED +REFUSED +ERRORS"),
                lines.get(3));
        assertTrue(lines.get(4).matches("echo-tcp +tcp://127.0.0.1:9999 +BOUND +echo \\(io.portside.sample.echo 2.0.0\\) +virtual +3 +10 +2 +1"),
                lines.get(4));
        assertTrue(table.contains("    draining: echo (io.portside.sample.echo 1.0.0, service 42), 1 open\n"), table);
        assertTrue(table.contains("    policies: address\n"), table);
        assertTrue(table.contains("    shadowed: echo (io.portside.sample.echo 1.0.0, service 42)\n"), table);
        assertTrue(table.contains("    failure (BIND_FAILED): port 8080 is \"taken\""), table);
        assertTrue(table.contains("Recent failures:\n  2026-11-30T20:00:00Z  busy tcp://127.0.0.1:8080  BIND_FAILED: port 8080 is taken\n"),
                table);
        // Columns line up: each header starts where its cells start.
        assertEquals(lines.get(3).indexOf("STATE"), lines.get(4).indexOf("BOUND"));
        assertEquals(lines.get(3).indexOf("STATE"), lines.get(7).indexOf("FAILED"), table);
    }

    @Test
    void exitStatusFollowsFailedListeners() {
        assertFalse(status(List.of(bound("echo-tcp", 1, 1))).anyFailed());
        assertTrue(status(List.of(bound("echo-tcp", 1, 1), failed())).anyFailed());
    }

    @Test
    void topShowsRatesAgainstThePreviousFrame() {
        HostStatus first = status(List.of(bound("echo-tcp", 10, 1000)));
        HostStatus second = status(List.of(bound("echo-tcp", 30, 1000 + 4096)));
        String frame0 = TopFrame.render(null, first, 0, LocalTime.of(20, 1, 2));
        assertTrue(frame0.startsWith("portside top - 20:01:02 - host 4242 up 2m 5s - descriptors 57 / 1024, threads 31 / unlimited\n"),
                frame0);
        assertTrue(frame0.lines().anyMatch(l -> l.matches("echo-tcp +tcp://127.0.0.1:9999 +BOUND +3 +- +2 +1 +- +- +-")), frame0);
        String frame1 = TopFrame.render(first, second, 2.0, LocalTime.of(20, 1, 4));
        assertTrue(frame1.lines().anyMatch(l -> l.matches("echo-tcp +tcp://127.0.0.1:9999 +BOUND +3 +10.0 +2 +1 +2.0KiB/s +4.0KiB/s +-")),
                frame1);
        assertTrue(frame1.contains("last failure: 2026-11-30T20:00:00Z busy BIND_FAILED: port 8080 is taken"), frame1);
    }

    @Test
    void topShowsRisingRefusalsAndNoRateAfterARebind() {
        Listener before = bound("echo-tcp", 10, 100);
        Counters c = before.counters();
        Listener refusing = new Listener(before.name(), before.endpoint(), "BOUND", ECHO_2, List.of(), List.of(), "virtual", List.of(),
                new Counters(0, 4, c.rejected() + 5, c.errors(), 0, 0, 0, 0, 10, 10, times(0, 100, 1)), null, null);
        String frame = TopFrame.render(status(List.of(before)), status(List.of(refusing)), 1.0, LocalTime.NOON);
        assertTrue(frame.lines().anyMatch(l -> l.matches("echo-tcp +\\S+ +BOUND +0 +- +7 \\(\\+5\\) +1 +- +- +10.0ms")), frame);
    }

    @Test
    void bytesPerSecondInHumanUnits() {
        assertEquals("0B/s", TopFrame.bytes(0));
        assertEquals("1023B/s", TopFrame.bytes(1023));
        assertEquals("1.5KiB/s", TopFrame.bytes(1536));
        assertEquals("3.0MiB/s", TopFrame.bytes(3 * 1024 * 1024));
    }

    @Test
    void failureHistoryRecordsEachFailureOnceUntilItClears() {
        FailureHistory history = new FailureHistory();
        Instant t0 = Instant.parse("2026-11-30T20:00:00.500Z");
        history.observe(List.of(failed()), t0);
        history.observe(List.of(failed()), t0.plusSeconds(1));
        assertEquals(1, history.recent().size());
        assertEquals(new Failure("2026-11-30T20:00:00Z", "busy", "tcp://127.0.0.1:8080", "BIND_FAILED", failed().failure()),
                history.recent().getFirst());
        history.observe(List.of(bound("busy", 0, 0)), t0.plusSeconds(2)); // repaired
        history.observe(List.of(failed()), t0.plusSeconds(3)); // and failed again
        assertEquals(2, history.recent().size());
        for (int i = 0; i < 2 * FailureHistory.KEPT; i++) {
            history.observe(List.of(i % 2 == 0 ? failed() : bound("busy", 0, 0)), t0.plusSeconds(4 + i));
        }
        assertEquals(FailureHistory.KEPT, history.recent().size());
    }

    @Test
    void commandLines() {
        java.nio.file.Path home = java.nio.file.Path.of("run");
        assertEquals(new ControlCommands.Options(java.nio.file.Path.of("/h"), true, 0, StopCommand.DEFAULT_WAIT),
                ControlCommands.parse("status", new String[] {"--home", "/h", "--json"}, home));
        assertEquals(2, ControlCommands.parse("top", new String[] {"--count", "2"}, home).count());
        assertEquals(30, ControlCommands.parse("stop", new String[] {"--wait", "30"}, home).stopWait().toSeconds());
        assertThrows(IllegalArgumentException.class, () -> ControlCommands.parse("stop", new String[] {"--json"}, home));
        assertThrows(IllegalArgumentException.class, () -> ControlCommands.parse("top", new String[] {"--count", "0"}, home));
        assertThrows(IllegalArgumentException.class, () -> ControlCommands.parse("status", new String[] {"--home"}, home));
    }

    /** Durations over the bounds 5, 10 and 25 ms (and above). */
    private static HandlerTimes times(long... counts) {
        long[] all = java.util.Arrays.copyOf(counts, 4);
        return new HandlerTimes(List.of(0.005, 0.01, 0.025), java.util.Arrays.stream(all).boxed().toList());
    }

    @Test
    void handlerTimesGiveTheP99OfTheRequestsBetweenTwoFrames() {
        HandlerTimes earlier = times(1000, 0, 0);
        HandlerTimes now = times(1000, 90, 10); // since earlier: 90 under 10 ms, 10 under 25 ms
        assertEquals(5.0, earlier.p99Millis());
        assertEquals(10.0, now.p99Millis(), "since the start: 1,100 requests, the 1,089th is under 10 ms");
        assertEquals(25.0, now.since(earlier).p99Millis(), "since the last frame: 100 requests, the 99th is under 25 ms");
        assertEquals(null, earlier.since(earlier).p99Millis(), "no requests between");
        assertEquals(25.0, times(0, 0, 0, 5).p99Millis(), "above every bound: the last bound");
    }
}
