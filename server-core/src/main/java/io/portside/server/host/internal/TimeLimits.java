package io.portside.server.host.internal;

import static io.portside.server.host.internal.ListenerConfig.FIRST_BYTE_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.IDLE_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.REQUEST_DEADLINE;
import static io.portside.server.host.internal.ListenerConfig.REQUEST_WARN;
import static io.portside.server.host.internal.ListenerConfig.WRITE_TIMEOUT;

import java.time.Duration;
import java.util.Map;

import io.portside.server.internal.StreamLimits;

/**
 * A listener's time limits: what its clients may take ({@code idle.timeout}, {@code first.byte.timeout},
 * {@code write.timeout}, applied to each stream connection before its handler runs) and what its handlers may
 * ({@code request.warn}, {@code request.deadline}, watched while a request runs). All change in place.
 */
record TimeLimits(StreamLimits stream, Duration requestWarn, Duration requestDeadline) {

    static final TimeLimits DEFAULT = from(Map.of());

    static TimeLimits from(Map<String, Object> props) {
        return new TimeLimits(new StreamLimits(IDLE_TIMEOUT.from(props), FIRST_BYTE_TIMEOUT.from(props), WRITE_TIMEOUT.from(props)),
                REQUEST_WARN.from(props), REQUEST_DEADLINE.from(props));
    }

    /** True when the watchdog has something to watch for. */
    boolean watchesRequests() {
        return !requestWarn.isZero() || !requestDeadline.isZero();
    }
}
