package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;
import javax.management.ObjectName;

import io.portside.handler.api.ConfigValues;

/**
 * The host-wide budget of file descriptors for stream connections, shared by every listener of the host.
 * {@code max.connections} bounds each listener alone; without this budget, one listener held at its limit (or nine at
 * theirs) could spend the process's whole RLIMIT_NOFILE, and then every listener's accept fails at once.
 *
 * <p>Sized once at start from the process's effective descriptor limit: {@code budget = limit - reserve}, the reserve
 * ({@value #MIN_RESERVE} or an eighth of the limit, whichever is more, at most half of it) being for the host's own
 * files (jars, deploys, selectors, forking pipes, files a handler opens). So that one listener cannot spend it all,
 * every stream listener has a floor, {@code min(64, budget / (2 * listeners))} connections that no other listener may
 * take while it does not use them. Every accepted connection counts until it ends (a refused one too, for the moment
 * it is open): the figure is the sockets the host really holds.
 */
final class DescriptorBudget {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    /** Framework property: descriptors kept out of the budget for the host's own files. */
    static final String RESERVE_PROPERTY = "portside.descriptors.reserve";
    static final int MIN_RESERVE = 128;
    static final int MAX_FLOOR = 64;

    /** No budget: the descriptor limit is unknown (not a Unix JVM), or a listener runs without a host. */
    static final DescriptorBudget UNLIMITED = new DescriptorBudget(0, null);

    private final long limit;
    private final int reserve;
    private final int budget;
    private final List<Share> shares = new ArrayList<>(); // guarded by this
    private int connections;  // guarded by this
    private int floor;        // guarded by this
    private int unusedFloors; // guarded by this: the sum over the shares of max(0, floor - open)

    /**
     * @param limit   the process's descriptor limit; 0 or less when unknown (then no budget)
     * @param reserve the reserve, or null for the default
     */
    DescriptorBudget(long limit, Integer reserve) {
        this.limit = limit;
        long dflt = Math.min(Math.max(MIN_RESERVE, limit / 8), limit / 2);
        // A reserve of half the limit or more would leave the listeners nothing, or next to it: every stream connection
        // refused. It is taken down to half, with a warning, rather than obeyed.
        if (reserve != null && limit > 0 && reserve > limit / 2) {
            LOG.log(Level.WARNING, "{0}={1} is more than half the descriptor limit {2}: using {3}", RESERVE_PROPERTY,
                    String.valueOf(reserve), String.valueOf(limit), String.valueOf(limit / 2));
        }
        long r = limit <= 0 ? 0 : reserve == null ? dflt : Math.min(reserve, limit / 2);
        // in long, then clamped: an unlimited RLIMIT_NOFILE reads as a huge number
        this.reserve = (int) Math.min(Integer.MAX_VALUE, r);
        this.budget = limit <= 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, limit - r);
    }

    /** The budget of this process; {@code reserveProperty} is {@value #RESERVE_PROPERTY}'s value, or null. */
    static DescriptorBudget forProcess(String reserveProperty) {
        Integer reserve = reserveProperty == null ? null : ConfigValues.integer(RESERVE_PROPERTY, reserveProperty, 0, Integer.MAX_VALUE);
        DescriptorBudget b = new DescriptorBudget(processLimit(), reserve);
        if (b.limit > 0) {
            LOG.log(Level.INFO, "Descriptor budget: {0} connections for all listeners (descriptor limit {1}, {2} reserved for the host''s own files)",
                    String.valueOf(b.budget), String.valueOf(b.limit), String.valueOf(b.reserve));
        }
        return b;
    }

    /** RLIMIT_NOFILE's soft limit, as the JVM left it (HotSpot raises it to the hard limit at start); 0 if unknown. */
    static long processLimit() {
        return osAttribute("MaxFileDescriptorCount", 0);
    }

    /** Descriptors the process has open now; -1 if unknown. */
    static long processOpen() {
        return osAttribute("OpenFileDescriptorCount", -1);
    }

    /**
     * An attribute of com.sun.management's UnixOperatingSystemMXBean, read through JMX: the bundle cannot import
     * com.sun.management (the framework does not export it), javax.management it can.
     */
    private static long osAttribute(String name, long unknown) {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), name);
            return v instanceof Number n ? n.longValue() : unknown;
        } catch (JMException | RuntimeException e) { // not a Unix JVM
            return unknown;
        }
    }

    int budget() {
        return budget;
    }

    /** Connections each stream listener is sure of now: what it does not use, no other listener may take. */
    synchronized int floor() {
        return floor;
    }

    /** A stream listener bound: it gets a share, with its floor. */
    synchronized Share join() {
        Share s = new Share();
        shares.add(s);
        refloor();
        return s;
    }

    private void refloor() {
        floor = shares.isEmpty() ? 0 : (int) Math.min(MAX_FLOOR, budget / (2L * shares.size()));
        unusedFloors = 0;
        for (Share s : shares) {
            unusedFloors += s.unusedFloor();
        }
    }

    /** What {@code portside:json} shows. */
    Figures figures() {
        long open = processOpen(); // lists /proc/self/fd: not under the lock every accept takes
        synchronized (this) {
            return new Figures(limit, reserve, budget, floor, connections, open);
        }
    }

    /** The budget's figures; {@code open} is every descriptor the process holds, connections or not. */
    record Figures(long limit, int reserve, int budget, int floor, int connections, long open) {
    }

    /** One stream listener's part of the budget. */
    final class Share {
        private int open;       // guarded by the budget
        private boolean joined = true; // guarded by the budget

        /** Counts an accepted connection; false when it is over the budget (it must be closed, and released then). */
        boolean take() {
            synchronized (DescriptorBudget.this) {
                int ownUnused = unusedFloor();
                boolean within = open < floor || connections + (unusedFloors - ownUnused) < budget;
                connections++;
                open++;
                unusedFloors += unusedFloor() - ownUnused;
                return within;
            }
        }

        /** The connection ended: exactly once per {@link #take()}. */
        void release() {
            synchronized (DescriptorBudget.this) {
                int ownUnused = unusedFloor();
                connections--;
                open--;
                unusedFloors += unusedFloor() - ownUnused;
            }
        }

        /** The listener closed: its floor is free for the others (connections still open release as they end). */
        void leave() {
            synchronized (DescriptorBudget.this) {
                if (joined) {
                    joined = false;
                    shares.remove(this);
                    refloor();
                }
            }
        }

        private int unusedFloor() {
            return joined ? Math.max(0, floor - open) : 0;
        }
    }
}
