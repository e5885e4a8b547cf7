package io.portside.server.host.internal;

import java.util.List;

import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerView;

/** Formats the runtime view as a table or as JSON. */
final class RuntimeFormat {
    private RuntimeFormat() {
    }

    static String table(List<ListenerView> views) {
        StringBuilder out = new StringBuilder();
        String format = "%-34s %-8s %-40s %-16s %6s %9s %8s%n";
        out.append(String.format(format, "ENDPOINT", "STATE", "HANDLER (BUNDLE VERSION)", "CONCURRENCY", "OPEN", "ACCEPTED", "REJECTED"));
        for (ListenerView v : views) {
            HandlerView h = v.handler();
            String handler = h == null ? "-" : h.name() + " (" + h.bundle() + " " + h.version() + ")";
            out.append(String.format(format, v.endpoint(), v.state(), handler, v.concurrency(), v.openConnections(),
                    v.accepted(), v.rejected()));
            for (HandlerView s : v.shadowed()) {
                out.append("    shadowed: ").append(s).append('\n');
            }
            for (HandlerView d : v.draining()) {
                out.append("    draining: ").append(d).append(", ").append(d.openConnections()).append(" open\n");
            }
            if (!v.policies().isEmpty()) {
                out.append("    policies: ").append(String.join(", ", v.policies())).append('\n');
            }
            if (v.failure() != null) {
                out.append("    failure: ").append(v.failure()).append('\n');
            }
        }
        return out.toString();
    }

    static String json(List<ListenerView> views, long changeCount) {
        return json(views, changeCount, null);
    }

    /** With the host's descriptor budget ({@code "descriptors"}, after the listeners) when {@code descriptors} is not null. */
    static String json(List<ListenerView> views, long changeCount, DescriptorBudget.Figures descriptors) {
        StringBuilder out = new StringBuilder("{\"changeCount\":").append(changeCount).append(",\"listeners\":[");
        for (int i = 0; i < views.size(); i++) {
            ListenerView v = views.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append('{');
            field(out, "name", v.name()).append(',');
            field(out, "endpoint", v.endpoint()).append(',');
            field(out, "state", v.state().name()).append(',');
            out.append("\"handler\":").append(handler(v.handler())).append(',');
            out.append("\"shadowed\":[");
            for (int j = 0; j < v.shadowed().size(); j++) {
                out.append(j > 0 ? "," : "").append(handler(v.shadowed().get(j)));
            }
            out.append("],");
            out.append("\"draining\":[");
            for (int j = 0; j < v.draining().size(); j++) {
                out.append(j > 0 ? "," : "").append(handler(v.draining().get(j)));
            }
            out.append("],");
            field(out, "concurrency", v.concurrency()).append(',');
            out.append("\"policies\":[");
            for (int j = 0; j < v.policies().size(); j++) {
                out.append(j > 0 ? "," : "").append(quote(v.policies().get(j)));
            }
            out.append("],");
            out.append("\"openConnections\":").append(v.openConnections()).append(',');
            out.append("\"accepted\":").append(v.accepted()).append(',');
            out.append("\"rejected\":").append(v.rejected()).append(',');
            out.append("\"errors\":").append(v.errors()).append(',');
            out.append("\"drained\":").append(v.drained()).append(',');
            out.append("\"timedOut\":").append(v.timedOut()).append(',');
            out.append("\"overdue\":").append(v.overdue()).append(',');
            out.append("\"tlsFailures\":").append(v.tlsFailures()).append(',');
            out.append("\"bytesIn\":").append(v.bytesIn()).append(',');
            out.append("\"bytesOut\":").append(v.bytesOut()).append(',');
            out.append("\"failure\":").append(v.failure() == null ? "null" : quote(v.failure()));
            out.append(",\"reason\":").append(v.reason() == null ? "null" : quote(v.reason().name()));
            out.append('}');
        }
        out.append(']');
        if (descriptors != null) {
            out.append(",\"descriptors\":{\"limit\":").append(descriptors.limit()).append(",\"reserve\":").append(descriptors.reserve())
                    .append(",\"budget\":").append(descriptors.budget()).append(",\"floor\":").append(descriptors.floor())
                    .append(",\"connections\":").append(descriptors.connections()).append(",\"open\":").append(descriptors.open()).append('}');
        }
        return out.append('}').toString();
    }

    private static String handler(HandlerView h) {
        if (h == null) {
            return "null";
        }
        return "{\"name\":" + quote(h.name()) + ",\"bundle\":" + quote(h.bundle()) + ",\"version\":" + quote(h.version())
                + ",\"serviceId\":" + h.serviceId() + ",\"ranking\":" + h.ranking() + ",\"openConnections\":" + h.openConnections() + "}";
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append(quote(name)).append(':').append(value == null ? "null" : quote(value));
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
