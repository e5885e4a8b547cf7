package io.portside.server.host.internal;

import io.portside.server.metrics.internal.HostSample;
import io.portside.server.metrics.internal.ListenerSample;
import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerView;

/** Turns the host's listeners and budget into the metrics' samples: the one place the metrics read host internals. */
final class MetricsFeed {

    private MetricsFeed() {
    }

    /** A bound listener: its view (state, revision) and its counters. */
    static ListenerSample of(Listener l, ListenerView v) {
        ListenerCounters c = l.counters();
        HandlerView h = v.handler();
        int[] workers = l.workers();
        // the model's kind as the label (sync, pool, ...): its knobs in it would start new series at every tuning
        return new ListenerSample(v.name(), v.endpoint(), l.spec().endpoint().transport().scheme(), l.spec().concurrency().kind().id(),
                v.state().name(),
                h == null ? null : h.bundle(), h == null ? null : h.version(), v.openConnections(), c.accepted(), c.refusals(),
                c.handled(), c.errors(), c.timedOut(), c.overdue(), c.tlsFailures(), c.bytesIn(), c.bytesOut(), c.durations(),
                c.swaps(), c.drainedRevisions(), c.drained(), c.gapWaits(), workers[0], workers[1], l.certificateExpiry());
    }

    /** A listener without a socket (failed, or configured and waiting for a handler): its state alone. */
    static ListenerSample unbound(ListenerView v) {
        String endpoint = v.endpoint();
        int scheme = endpoint.indexOf("://");
        String concurrency = v.concurrency();
        int knobs = concurrency.indexOf('(');
        return ListenerSample.unbound(v.name(), endpoint, scheme > 0 ? endpoint.substring(0, scheme) : "-",
                knobs > 0 ? concurrency.substring(0, knobs) : concurrency, v.state().name());
    }

    static HostSample host(DescriptorBudget.Figures f) {
        return new HostSample(f.limit(), f.budget(), f.connections(), f.open());
    }
}
