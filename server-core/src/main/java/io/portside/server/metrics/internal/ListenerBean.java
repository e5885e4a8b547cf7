package io.portside.server.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A listener's MBean: each read asks the host for the listener's sample now. */
final class ListenerBean implements ListenerMXBean {

    private final String name;
    private final Function<String, ListenerSample> samples;

    ListenerBean(String name, Function<String, ListenerSample> samples) {
        this.name = name;
        this.samples = samples;
    }

    /** The sample now; a listener removed since the bean was registered reads as failed with nothing counted. */
    private ListenerSample now() {
        ListenerSample s = samples.apply(name);
        return s != null ? s : ListenerSample.unbound(name, "-", "-", "-", "FAILED");
    }

    @Override
    public String getEndpoint() {
        return now().endpoint();
    }

    @Override
    public String getTransport() {
        return now().transport();
    }

    @Override
    public String getConcurrency() {
        return now().concurrency();
    }

    @Override
    public String getState() {
        return now().state();
    }

    @Override
    public String getRevision() {
        ListenerSample s = now();
        return s.bundle() == null ? "" : s.bundle() + " " + s.version();
    }

    @Override
    public long getConnectionsOpen() {
        return now().open();
    }

    @Override
    public long getConnectionsAccepted() {
        return now().accepted();
    }

    @Override
    public long getRefused() {
        return now().refused();
    }

    @Override
    public Map<String, Long> getRefusedByReason() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        now().refusals().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> byReason.put(e.getKey().label(), e.getValue()));
        return byReason;
    }

    @Override
    public long getRequestsHandled() {
        return now().handled();
    }

    @Override
    public long getErrors() {
        return now().errors();
    }

    @Override
    public long getTimeouts() {
        return now().timedOut();
    }

    @Override
    public long getTlsHandshakeFailures() {
        return now().tlsFailures();
    }

    @Override
    public long getBytesReceived() {
        return now().bytesIn();
    }

    @Override
    public long getBytesSent() {
        return now().bytesOut();
    }

    @Override
    public long getProcessingTimeMillis() {
        return Math.round(now().durations().sumSeconds() * 1000);
    }

    @Override
    public double getP99Millis() {
        double bound = now().durations().quantileBound(0.99);
        return Double.isNaN(bound) ? -1 : bound * 1000;
    }

    @Override
    public long getSwaps() {
        return now().swaps();
    }

    @Override
    public long getDrainDeadlineCloses() {
        return now().drainCloses();
    }

    @Override
    public long getGapWaits() {
        return now().gapWaits();
    }
}
