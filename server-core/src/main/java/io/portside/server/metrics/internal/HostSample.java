package io.portside.server.metrics.internal;

/**
 * The host's own figures at one moment.
 *
 * @param descriptorLimit       RLIMIT_NOFILE as the JVM runs with it; 0 if unknown
 * @param descriptorBudget      connections all stream listeners may hold together (the limit less the host's reserve)
 * @param descriptorConnections connections holding a part of that budget now
 * @param descriptorsOpen       every descriptor the process holds now; -1 if unknown
 */
public record HostSample(long descriptorLimit, long descriptorBudget, long descriptorConnections, long descriptorsOpen) {
}
