package io.portside.server.metrics.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How a jar dropped into deploy/ ended: the {@code outcome} label of {@code portside_deploys_total}. */
public enum DeployOutcome {
    /** Installed and started. */
    DEPLOYED("deployed"),
    /** Updated in place and started. */
    UPDATED("updated"),
    /** Removed with its file. */
    UNDEPLOYED("undeployed"),
    /** Not touched: the jar failed its check (corrupt, truncated, not a bundle); what ran keeps running. */
    REFUSED("refused"),
    /** The framework would not install, start or remove it. */
    FAILED("failed"),
    /** An update that failed to start; the last good jar was put back. */
    RESTORED("restored");

    private final String label;

    DeployOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The outcomes counted since server-core started. One set per bundle class loader: the deployer and the metrics
     * component are separate components of the same bundle, and a count that restarts with the bundle is what a
     * Prometheus counter may do.
     */
    public static final class Counts {

        private static final Map<DeployOutcome, LongAdder> COUNTS = new EnumMap<>(DeployOutcome.class);

        static {
            for (DeployOutcome o : values()) {
                COUNTS.put(o, new LongAdder());
            }
        }

        private Counts() {
        }

        public static void count(DeployOutcome outcome) {
            COUNTS.get(outcome).increment();
        }

        public static Map<DeployOutcome, Long> now() {
            Map<DeployOutcome, Long> now = new EnumMap<>(DeployOutcome.class);
            COUNTS.forEach((o, n) -> now.put(o, n.sum()));
            return now;
        }
    }
}
