package io.portside.launcher;

import java.time.Duration;
import java.util.List;

import io.portside.launcher.HostStatus.Counters;
import io.portside.launcher.HostStatus.Failure;
import io.portside.launcher.HostStatus.Listener;
import io.portside.launcher.HostStatus.Revision;

/** {@link HostStatus} as the table {@code portside status} prints. */
final class StatusTable {

    private static final List<String> HEADERS = List.of("NAME", "ENDPOINT", "STATE", "HANDLER (BUNDLE VERSION)", "CONCURRENCY", "OPEN",
            "ACCEPTED", "REFUSED", "ERRORS");

    private StatusTable() {
    }

    static String render(HostStatus s) {
        StringBuilder out = new StringBuilder();
        out.append("Portside host ").append(s.pid()).append(" on ").append(s.home()).append(", up ").append(uptime(s.uptimeMillis())).append('\n');
        out.append(limits(s.figures())).append("\n\n");
        if (s.listeners().isEmpty()) {
            out.append("No listeners.\n");
        } else {
            TextColumns table = new TextColumns(HEADERS, 5, 6, 7, 8);
            for (Listener l : s.listeners()) {
                Counters c = l.counters();
                table.row(l.name(), l.endpoint(), l.state(), revision(l.handler()), l.concurrency() == null ? "-" : l.concurrency(),
                        c.openConnections(), c.accepted(), c.rejected(), c.errors());
                details(table, l);
            }
            out.append(table.render());
        }
        if (!s.recentFailures().isEmpty()) {
            out.append("\nRecent failures:\n");
            for (Failure f : s.recentFailures()) {
                out.append("  ").append(f.time()).append("  ").append(f.listener()).append(' ').append(f.endpoint()).append("  ")
                        .append(f.reason() == null ? "" : f.reason() + ": ").append(f.message()).append('\n');
            }
        }
        return out.toString();
    }

    private static void details(TextColumns table, Listener l) {
        for (Revision r : l.shadowed()) {
            table.detail("shadowed: " + r);
        }
        for (Revision r : l.draining()) {
            table.detail("draining: " + r + ", " + r.openConnections() + " open");
        }
        if (!l.policies().isEmpty()) {
            table.detail("policies: " + String.join(", ", l.policies()));
        }
        Counters c = l.counters();
        if (c.drained() + c.timedOut() + c.overdue() + c.tlsFailures() > 0) {
            table.detail("closed: " + c.timedOut() + " timed out, " + c.overdue() + " overdue, " + c.drained() + " at the drain deadline, "
                    + c.tlsFailures() + " TLS handshakes failed");
        }
        if (l.failure() != null) {
            table.detail("failure" + (l.reason() == null ? "" : " (" + l.reason() + ")") + ": " + l.failure());
        }
    }

    static String revision(Revision r) {
        return r == null ? "-" : r.name() + " (" + r.bundle() + " " + r.version() + ")";
    }

    static String limits(HostStatus.Figures f) {
        return "descriptors " + f.openDescriptors() + " / " + limit(f.descriptorLimit()) + ", threads " + f.liveThreads() + " / "
                + limit(f.threadLimit());
    }

    private static String limit(long limit) {
        return limit < 0 ? "unlimited" : Long.toString(limit);
    }

    static String uptime(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
