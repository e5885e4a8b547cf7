package io.portside.launcher;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import io.portside.launcher.HostStatus.Counters;
import io.portside.launcher.HostStatus.Listener;

/**
 * One screen of {@code portside top}: each listener's open connections, and what changed since the previous status
 * (requests, refusals and errors, bytes in and out, per second). Rates need two statuses: the first frame shows
 * {@code -}, as does a listener that was rebound in between (its counters start again from zero).
 */
final class TopFrame {

    /** Moves the cursor home and clears the screen (ANSI), so each frame replaces the last. */
    static final String CLEAR = "\033[H\033[2J";

    private static final List<String> HEADERS = List.of("NAME", "ENDPOINT", "STATE", "OPEN", "REQ/S", "REFUSED", "ERRORS", "IN/S",
            "OUT/S", "P99");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private TopFrame() {
    }

    /** The frame for {@code now}, with rates against {@code previous} taken {@code seconds} earlier (null for the first). */
    static String render(HostStatus previous, HostStatus now, double seconds, LocalTime clock) {
        Map<String, Counters> before = new HashMap<>();
        if (previous != null) {
            previous.listeners().forEach(l -> before.put(l.name() + " " + l.endpoint(), l.counters()));
        }
        TextColumns table = new TextColumns(HEADERS, 3, 4, 5, 6, 7, 8, 9);
        for (Listener l : now.listeners()) {
            Counters c = l.counters();
            Counters b = before.get(l.name() + " " + l.endpoint());
            Rates r = new Rates(b, c, seconds);
            table.row(l.name(), l.endpoint(), l.state(), c.openConnections(), r.perSecond(Counters::accepted, false),
                    total(c.rejected(), r.delta(Counters::rejected)), total(c.errors(), r.delta(Counters::errors)),
                    r.perSecond(Counters::bytesIn, true), r.perSecond(Counters::bytesOut, true),
                    p99(c, b));
        }
        StringBuilder out = new StringBuilder();
        out.append("portside top - ").append(CLOCK.format(clock)).append(" - host ").append(now.pid()).append(" up ")
                .append(StatusTable.uptime(now.uptimeMillis())).append(" - ").append(StatusTable.limits(now.figures())).append("\n\n");
        out.append(now.listeners().isEmpty() ? "No listeners.\n" : table.render());
        if (!now.recentFailures().isEmpty()) {
            HostStatus.Failure f = now.recentFailures().getLast();
            out.append("\nlast failure: ").append(f.time()).append(' ').append(f.listener()).append(' ')
                    .append(f.reason() == null ? "" : f.reason() + ": ").append(f.message()).append('\n');
        }
        return out.append("\nq or Ctrl-C quits\n").toString();
    }

    /** The 99th percentile of the requests since the previous frame (or since the start, in the first). */
    private static String p99(Counters now, Counters before) {
        if (now.handlerTimes() == null) {
            return "-";
        }
        Double p99 = now.handlerTimes().since(before == null ? null : before.handlerTimes()).p99Millis();
        return p99 == null ? "-" : String.format("%.1fms", p99);
    }

    private static String total(long total, long delta) {
        return delta > 0 ? total + " (+" + delta + ")" : Long.toString(total);
    }

    /** A human size per second: B/s, KiB/s, MiB/s, GiB/s. */
    static String bytes(double perSecond) {
        String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
        int u = 0;
        while (perSecond >= 1024 && u < units.length - 1) {
            perSecond /= 1024;
            u++;
        }
        return u == 0 ? String.format("%.0f%s", perSecond, units[u]) : String.format("%.1f%s", perSecond, units[u]);
    }

    /** Changes between two counter sets of one listener; none when there is no earlier one or a counter went back. */
    private record Rates(Counters before, Counters now, double seconds) {

        long delta(ToLongFunction<Counters> counter) {
            if (before == null) {
                return -1;
            }
            long d = counter.applyAsLong(now) - counter.applyAsLong(before);
            return d < 0 ? -1 : d;
        }

        String perSecond(ToLongFunction<Counters> counter, boolean asBytes) {
            long d = delta(counter);
            if (d < 0 || seconds <= 0) {
                return "-";
            }
            double rate = d / seconds;
            return asBytes ? bytes(rate) : String.format("%.1f", rate);
        }
    }
}
