package io.portside.server.metrics.internal;

import java.util.List;

/** Where the metrics read the host: registered by the whiteboard, within server-core only. */
public interface MetricsSource {

    /** Every listener, the failed and waiting ones included. */
    List<ListenerSample> samples();

    HostSample host();
}
