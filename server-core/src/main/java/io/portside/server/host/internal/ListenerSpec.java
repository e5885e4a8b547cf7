package io.portside.server.host.internal;

import java.time.Duration;
import java.util.List;

import org.osgi.framework.Filter;

/**
 * What a listener should be: from a handler's own {@code portside.endpoint} (implicit) or from a listener
 * configuration (explicit, which takes the endpoint over).
 *
 * @param name          the listener's name
 * @param endpoint      where to listen
 * @param handlerFilter which handler services may serve it; {@code null} for "those that declare this endpoint"
 * @param concurrency   how requests run; {@code null} until settled by the serving handler's own choice
 * @param policyFilter  which policies to consult; {@code null} for none
 * @param requiredPolicies names of policies that must be present, or every request is rejected
 * @param backlog       the listen backlog
 * @param drain         how long old-revision requests may run on after a swap or at close
 * @param gap           how long to keep the socket and hold new requests while no handler is active
 * @param configPid     the configuration's PID for explicit listeners, {@code null} for implicit ones
 * @param unixSocket    the socket file's permissions and group (Unix endpoints)
 * @param maxConnections connections a stream listener serves at once (0: no limit); {@code null} until settled by the
 *                      serving handler's own default ({@link #withHandlerMaxConnections})
 * @param knobs         the file's {@code pool.*}, {@code threading.max} and {@code forking.*} values (defaults for an
 *                      implicit listener), applied to whichever model the listener runs: the configured one, or the
 *                      serving handler's own choice
 * @param timeLimits    the client time limits and the watchdog's
 * @param tls           TLS, when the file names a certificate
 * @param proxy         the PROXY protocol header each connection starts with, when the file turns it on
 * @param reusePortSockets the configured {@code reuseport.sockets}; 0 for the transport's own choice ({@link #sockets()})
 */
record ListenerSpec(String name, Endpoint endpoint, Filter handlerFilter, ConcurrencySpec concurrency, Filter policyFilter,
        List<String> requiredPolicies, int backlog, Duration drain, Duration gap, String configPid, UnixSocketOptions unixSocket,
        Integer maxConnections, ConcurrencySpec knobs, TimeLimits timeLimits, ListenerTlsConfig tls, ListenerProxyConfig proxy,
        int reusePortSockets) {

    /** Implicit listeners take every setting at its configuration default. */
    static final int DEFAULT_BACKLOG = ListenerConfig.BACKLOG.defaultValue();
    static final Duration DEFAULT_DRAIN = ListenerConfig.DRAIN_TIMEOUT.defaultValue();
    static final Duration DEFAULT_GAP = ListenerConfig.GAP_TIMEOUT.defaultValue();
    static final int DEFAULT_MAX_CONNECTIONS = ListenerConfig.MAX_CONNECTIONS.defaultValue();

    boolean explicit() {
        return configPid != null;
    }

    /** True if {@code candidate} may serve this listener: the configured filter matches it, or it declares the endpoint. */
    boolean accepts(HandlerCandidate candidate) {
        return handlerFilter != null ? candidate.matches(handlerFilter) : candidate.endpoints().contains(endpoint);
    }

    /** This spec with the concurrency settled: the configured one, or else the one {@code winner} declares. */
    ListenerSpec withHandlerConcurrency(HandlerCandidate winner) {
        if (concurrency != null) {
            return this;
        }
        return withConcurrency(knobs.forKind(winner == null ? null : winner.concurrency()));
    }

    /**
     * This spec keeping the model a running listener has (no model configured: re-pointing it never replaces its model),
     * with the file's knobs for that model, so that editing {@code pool.size} alone still applies.
     */
    ListenerSpec keepingModel(ConcurrencySpec running) {
        if (concurrency != null) {
            return this;
        }
        ConcurrencySpec kept = knobs.forKind(running.kind().id());
        return withConcurrency(kept.equals(running) ? running : kept);
    }

    ListenerSpec withConcurrency(ConcurrencySpec model) {
        return new ListenerSpec(name, endpoint, handlerFilter, model, policyFilter, requiredPolicies, backlog, drain, gap, configPid,
                unixSocket, maxConnections, knobs, timeLimits, tls, proxy, reusePortSockets);
    }

    /** This spec with the connection limit settled: the configured one, or else the one {@code winner} declares. */
    ListenerSpec withHandlerMaxConnections(HandlerCandidate winner) {
        if (maxConnections != null) {
            return this;
        }
        return new ListenerSpec(name, endpoint, handlerFilter, concurrency, policyFilter, requiredPolicies, backlog, drain, gap, configPid,
                unixSocket, ListenerSpecs.handlerMaxConnections(winner), knobs, timeLimits, tls, proxy, reusePortSockets);
    }

    /** Connections served at once, 0 for no limit; the default while not settled. Changes in place, like the policies. */
    int connectionLimit() {
        return maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
    }

    /**
     * True if a running listener built from {@code this} needs a new socket to become {@code next}. Everything
     * else (handler, policies, timeouts, even the concurrency model) changes in place.
     */
    boolean needsRebind(ListenerSpec next) {
        return !endpoint.equals(next.endpoint) || backlog != next.backlog || !unixSocket.equals(next.unixSocket)
                || sockets() != next.sockets();
    }

    /** How many sockets the listener binds: {@code reuseport.sockets} resolved for its transport. */
    int sockets() {
        return ReusePortSockets.resolve(reusePortSockets, endpoint.transport(), concurrency == null ? null : concurrency.kind());
    }
}
