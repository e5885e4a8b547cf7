package io.portside.server.metrics.internal;

import java.util.Map;

/**
 * One listener over JMX, as {@code io.portside:type=Listener,name=<listener>}: what Tomcat's
 * {@code Catalina:type=ThreadPool/GlobalRequestProcessor} and Jetty's {@code ServerConnector} beans offer (connections,
 * requests, errors, bytes, timings), for tools that read JMX rather than scrape Prometheus. Read-only; every read is the
 * value now.
 */
public interface ListenerMXBean {

    String getEndpoint();

    String getTransport();

    String getConcurrency();

    /** {@code BOUND}, {@code WAITING} or {@code FAILED}. */
    String getState();

    /** The active revision as {@code bundle version}, or empty when none serves. */
    String getRevision();

    long getConnectionsOpen();

    long getConnectionsAccepted();

    long getRefused();

    /** Refusals by reason (the {@code reason} labels of {@code portside_listener_refusals_total}). */
    Map<String, Long> getRefusedByReason();

    long getRequestsHandled();

    long getErrors();

    long getTimeouts();

    long getTlsHandshakeFailures();

    long getBytesReceived();

    long getBytesSent();

    /** Sum of handler durations in milliseconds, as Tomcat's {@code processingTime}. */
    long getProcessingTimeMillis();

    /** The upper bound, in milliseconds, of the histogram bucket holding the 99th percentile; -1 without requests. */
    double getP99Millis();

    long getSwaps();

    long getDrainDeadlineCloses();

    long getGapWaits();
}
