package io.portside.launcher;

import static io.portside.launcher.JsonText.quoted;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.portside.launcher.HostStatus.Counters;
import io.portside.launcher.HostStatus.Failure;
import io.portside.launcher.HostStatus.Figures;
import io.portside.launcher.HostStatus.Listener;
import io.portside.launcher.HostStatus.Revision;

/**
 * {@link HostStatus} as one line of JSON and back. Each listener has the keys of the Gogo command {@code portside:json}
 * (so a script written for one reads the other), plus {@code p99Millis}; the host adds {@code pid}, {@code home},
 * {@code uptimeMillis}, {@code host} (descriptors and threads) and {@code recentFailures}.
 */
final class StatusJson {

    private StatusJson() {
    }

    static String write(HostStatus s) {
        StringBuilder out = new StringBuilder("{\"pid\":").append(s.pid()).append(",\"home\":").append(quoted(s.home()))
                .append(",\"uptimeMillis\":").append(s.uptimeMillis()).append(",\"changeCount\":").append(s.changeCount())
                .append(",\"listeners\":");
        list(out, s.listeners(), StatusJson::listener);
        Figures f = s.figures();
        out.append(",\"host\":{\"descriptors\":{\"open\":").append(f.openDescriptors()).append(",\"limit\":").append(f.descriptorLimit())
                .append("},\"threads\":{\"live\":").append(f.liveThreads()).append(",\"limit\":").append(f.threadLimit()).append("}}");
        out.append(",\"recentFailures\":");
        list(out, s.recentFailures(), StatusJson::failure);
        return out.append('}').toString();
    }

    private static String listener(Listener l) {
        Counters c = l.counters();
        StringBuilder out = new StringBuilder("{\"name\":").append(quoted(l.name())).append(",\"endpoint\":").append(quoted(l.endpoint()))
                .append(",\"state\":").append(quoted(l.state())).append(",\"handler\":").append(revision(l.handler())).append(",\"shadowed\":");
        list(out, l.shadowed(), StatusJson::revision);
        out.append(",\"draining\":");
        list(out, l.draining(), StatusJson::revision);
        out.append(",\"concurrency\":").append(nullable(l.concurrency())).append(",\"policies\":");
        list(out, l.policies(), JsonText::quoted);
        out.append(",\"openConnections\":").append(c.openConnections()).append(",\"accepted\":").append(c.accepted())
                .append(",\"rejected\":").append(c.rejected()).append(",\"errors\":").append(c.errors())
                .append(",\"drained\":").append(c.drained()).append(",\"timedOut\":").append(c.timedOut())
                .append(",\"overdue\":").append(c.overdue()).append(",\"tlsFailures\":").append(c.tlsFailures())
                .append(",\"bytesIn\":").append(c.bytesIn()).append(",\"bytesOut\":").append(c.bytesOut())
                .append(",\"p99Millis\":").append(c.p99Millis() == null ? "null" : c.p99Millis().toString())
                .append(",\"handlerTimes\":").append(handlerTimes(c.handlerTimes()))
                .append(",\"failure\":").append(nullable(l.failure())).append(",\"reason\":").append(nullable(l.reason()));
        return out.append('}').toString();
    }

    private static String revision(Revision r) {
        if (r == null) {
            return "null";
        }
        return "{\"name\":" + quoted(r.name()) + ",\"bundle\":" + quoted(r.bundle()) + ",\"version\":" + quoted(r.version())
                + ",\"serviceId\":" + r.serviceId() + ",\"ranking\":" + r.ranking() + ",\"openConnections\":" + r.openConnections() + "}";
    }

    private static String failure(Failure f) {
        return "{\"time\":" + quoted(f.time()) + ",\"listener\":" + quoted(f.listener()) + ",\"endpoint\":" + quoted(f.endpoint())
                + ",\"reason\":" + nullable(f.reason()) + ",\"message\":" + quoted(f.message()) + "}";
    }

    private static <T> void list(StringBuilder out, List<T> items, Function<T, String> item) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            out.append(i > 0 ? "," : "").append(item.apply(items.get(i)));
        }
        out.append(']');
    }

    private static String nullable(String s) {
        return s == null ? "null" : quoted(s);
    }

    /** Reads what {@link #write} wrote; throws {@link IllegalArgumentException} for anything else. */
    static HostStatus read(String json) {
        try {
            Map<?, ?> m = (Map<?, ?>) JsonReader.parse(json);
            Map<?, ?> host = (Map<?, ?>) m.get("host");
            Map<?, ?> fd = (Map<?, ?>) host.get("descriptors");
            Map<?, ?> threads = (Map<?, ?>) host.get("threads");
            Figures figures = new Figures(number(fd, "open"), number(fd, "limit"), number(threads, "live"), number(threads, "limit"));
            return new HostStatus(number(m, "pid"), (String) m.get("home"), number(m, "uptimeMillis"), number(m, "changeCount"),
                    items(m.get("listeners"), StatusJson::readListener), figures, items(m.get("recentFailures"), StatusJson::readFailure));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a host status: " + e, e);
        }
    }

    private static Listener readListener(Map<?, ?> m) {
        Counters c = new Counters(number(m, "openConnections"), number(m, "accepted"), number(m, "rejected"), number(m, "errors"),
                number(m, "drained"), number(m, "timedOut"), number(m, "overdue"), number(m, "tlsFailures"), number(m, "bytesIn"),
                number(m, "bytesOut"), readHandlerTimes(m.get("handlerTimes")));
        return new Listener((String) m.get("name"), (String) m.get("endpoint"), (String) m.get("state"), readRevision(m.get("handler")),
                items(m.get("shadowed"), StatusJson::readRevision), items(m.get("draining"), StatusJson::readRevision),
                (String) m.get("concurrency"), ((List<?>) m.get("policies")).stream().map(String.class::cast).toList(), c,
                (String) m.get("failure"), (String) m.get("reason"));
    }

    private static String handlerTimes(HandlerTimes t) {
        if (t == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("{\"bounds\":");
        list(out, t.bounds(), String::valueOf);
        out.append(",\"counts\":");
        list(out, t.counts(), String::valueOf);
        return out.append('}').toString();
    }

    private static HandlerTimes readHandlerTimes(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            return null;
        }
        return new HandlerTimes(((List<?>) m.get("bounds")).stream().map(b -> ((Number) b).doubleValue()).toList(),
                ((List<?>) m.get("counts")).stream().map(n -> ((Number) n).longValue()).toList());
    }

    private static Revision readRevision(Object json) {
        if (json == null) {
            return null;
        }
        Map<?, ?> m = (Map<?, ?>) json;
        return new Revision((String) m.get("name"), (String) m.get("bundle"), (String) m.get("version"), number(m, "serviceId"),
                (int) number(m, "ranking"), number(m, "openConnections"));
    }

    private static Failure readFailure(Map<?, ?> m) {
        return new Failure((String) m.get("time"), (String) m.get("listener"), (String) m.get("endpoint"), (String) m.get("reason"),
                (String) m.get("message"));
    }

    private static <T> List<T> items(Object json, Function<Map<?, ?>, T> item) {
        return ((List<?>) json).stream().map(o -> item.apply((Map<?, ?>) o)).toList();
    }

    private static long number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).longValue();
    }
}
