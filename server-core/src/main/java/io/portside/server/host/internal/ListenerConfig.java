package io.portside.server.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.portside.handler.api.ConfigOption;
import io.portside.server.forking.ForkingOptions;

/**
 * A listener configuration, declared once: factory PID {@code io.portside.listener}, so a file
 * {@code deploy/io.portside.listener-NAME.cfg} makes a listener called NAME. It takes its endpoint over from any
 * handler that declares the same endpoint itself.
 *
 * <p>Each key is one constant below, with its default, parser and bounds: the known keys ({@link #keys()}, so an
 * unknown key is refused), the defaults and the typed values all come from here. Adding a key is adding a constant.
 */
final class ListenerConfig {

    static final String PID = "io.portside.listener";

    /** Declared options, in declaration order; filled by {@link #declare} as the constants below initialise. */
    private static final List<ConfigOption<?>> DECLARED = new ArrayList<>();

    /** The listener's name; empty for the name in the configuration's PID. */
    static final ConfigOption<String> NAME = declare(ConfigOption.text("name"));
    /** Where to listen: tcp://HOST:PORT, udp://HOST:PORT, unix:PATH or unixgram:PATH (required). */
    static final ConfigOption<String> ENDPOINT = declare(ConfigOption.text("endpoint"));
    /** The portside.handler name of the handler to serve (or use handler.target). */
    static final ConfigOption<String> HANDLER = declare(ConfigOption.text("handler"));
    /** An LDAP filter over handler services; overrides 'handler'. */
    static final ConfigOption<String> HANDLER_TARGET = declare(ConfigOption.text("handler.target"));
    /** sync, threading, pool, virtual or forking; empty for the handler's own choice. */
    static final ConfigOption<String> CONCURRENCY = declare(ConfigOption.text("concurrency"));
    /** Threads of the pool (concurrency=pool). */
    static final ConfigOption<Integer> POOL_SIZE = declare(ConfigOption.integer("pool.size", 16, 1));
    /** Requests that may wait for a pool thread (concurrency=pool). */
    static final ConfigOption<Integer> POOL_QUEUE = declare(ConfigOption.integer("pool.queue", 64, 0));
    /**
     * Requests that may run at once, one platform thread each (concurrency=threading); over it a connection is closed at
     * once, as by a full pool. Why 256: see docs/limits.md.
     */
    static final ConfigOption<Integer> THREADING_MAX = declare(ConfigOption.integer("threading.max", 256, 1));
    /** Bound on worker processes (concurrency=forking). */
    static final ConfigOption<Integer> FORKING_MAX_CHILDREN = declare(
            ConfigOption.integer("forking.max.children", ForkingOptions.DEFAULT_MAX_CHILDREN, 1));
    /** Prestarted idle workers (concurrency=forking). */
    static final ConfigOption<Integer> FORKING_MIN_IDLE = declare(ConfigOption.integer("forking.min.idle", ForkingOptions.DEFAULT_MIN_IDLE, 0));
    /** Requests a worker serves before it is replaced; 0 for never. */
    static final ConfigOption<Integer> FORKING_MAX_REQUESTS = declare(ConfigOption.integer("forking.max.requests", 0, 0));
    /** How long a request may wait for a free worker before it is refused, e.g. 10s. */
    static final ConfigOption<Duration> FORKING_WAIT = declare(
            ConfigOption.positiveDuration("forking.wait", ForkingOptions.DEFAULT_WORKER_WAIT));
    /** How long a worker JVM may take to start, e.g. 20s. */
    static final ConfigOption<Duration> FORKING_STARTUP_TIMEOUT = declare(
            ConfigOption.positiveDuration("forking.startup.timeout", ForkingOptions.DEFAULT_STARTUP_TIMEOUT));
    /** Worker JVM options added to the defaults, separated by white space (an option may hold commas), e.g. -Xmx128m. */
    static final ConfigOption<List<String>> FORKING_JVM_OPTIONS = declare(ConfigOption.words("forking.jvm.options"));
    /** An LDAP filter over RequestPolicy services; empty for none. */
    static final ConfigOption<String> POLICY_TARGET = declare(ConfigOption.text("policy.target"));
    /** Names (portside.policy) of policies that must be present; while any is missing every request is rejected. */
    static final ConfigOption<List<String>> POLICY_REQUIRED = declare(ConfigOption.list("policy.required"));
    /** Permissions of a unix: or unixgram: socket file, in octal, e.g. 0666; empty for 0660 (see {@link UnixSocketOptions}). */
    static final ConfigOption<String> UNIX_MODE = declare(ConfigOption.text("unix.mode"));
    /** Group (name or gid) of a unix: or unixgram: socket file; empty keeps the host's group. */
    static final ConfigOption<String> UNIX_GROUP = declare(ConfigOption.text("unix.group"));
    /**
     * Connections (stream listeners) served at once; over it a connection is accepted and closed at once. 0 for no
     * limit. When absent, the serving handler's {@code portside.max.connections}, else this default (see docs/limits.md).
     */
    static final ConfigOption<Integer> MAX_CONNECTIONS = declare(ConfigOption.integer("max.connections", 2000, 0));
    /** Listen backlog. */
    static final ConfigOption<Integer> BACKLOG = declare(ConfigOption.integer("backlog", 1024, 1));
    /**
     * Sockets bound to the endpoint with SO_REUSEPORT, each with its own receiving (or accepting) thread, among which
     * the kernel spreads datagrams and connections; 1 for one socket without SO_REUSEPORT, 0 for the transport's own
     * choice ({@link ReusePortSockets}). IP endpoints only: a Unix socket is always one. See docs/scale-out.md.
     */
    static final ConfigOption<Integer> REUSEPORT_SOCKETS = declare(
            ConfigOption.integer("reuseport.sockets", ReusePortSockets.AUTOMATIC, 0, ReusePortSockets.MAX));
    /** How long requests on a replaced handler may run on, e.g. 30s. */
    static final ConfigOption<Duration> DRAIN_TIMEOUT = declare(ConfigOption.duration("drain.timeout", Duration.ofSeconds(30)));
    /** How long to hold requests and the socket while no handler is active, e.g. 5s. */
    static final ConfigOption<Duration> GAP_TIMEOUT = declare(ConfigOption.duration("gap.timeout", Duration.ofSeconds(5)));
    /**
     * How long a handler may wait for one read it asked for (a whole line, for readLine) before the host closes the
     * connection; 0 for no limit. Why 300 s: see docs/limits.md.
     */
    static final ConfigOption<Duration> IDLE_TIMEOUT = declare(ConfigOption.duration("idle.timeout", Duration.ofMinutes(5)));
    /** How long after connecting a client may take to send its first byte while the handler waits for it; 0 for no limit. */
    static final ConfigOption<Duration> FIRST_BYTE_TIMEOUT = declare(ConfigOption.duration("first.byte.timeout", Duration.ofSeconds(60)));
    /** How long one write may wait for a client that reads nothing; 0 for no limit. */
    static final ConfigOption<Duration> WRITE_TIMEOUT = declare(ConfigOption.duration("write.timeout", Duration.ofSeconds(60)));
    /** A request whose handler has run this long without waiting on its client is logged once, with its stack; 0 for never. */
    static final ConfigOption<Duration> REQUEST_WARN = declare(ConfigOption.duration("request.warn", Duration.ofSeconds(60)));
    /** A request whose handler has run this long without waiting on its client is closed and its thread interrupted; 0 for never. */
    static final ConfigOption<Duration> REQUEST_DEADLINE = declare(ConfigOption.duration("request.deadline", Duration.ZERO));

    /**
     * PEM certificate chains, one per certificate the listener serves (the first for clients that send no SNI name, the
     * others chosen by the name a client asks for); setting it turns TLS on. Relative paths resolve against the home.
     */
    static final ConfigOption<List<String>> TLS_CERTIFICATE = declare(ConfigOption.list("tls.certificate"));
    /** The PEM private key of each certificate, in the same order (PKCS#8, PKCS#1 or SEC1). */
    static final ConfigOption<List<String>> TLS_KEY = declare(ConfigOption.list("tls.key"));
    /** none, optional or required: whether clients present a certificate that chains to tls.client.ca. */
    static final ConfigOption<String> TLS_CLIENT_AUTH = declare(ConfigOption.text("tls.client.auth"));
    /** PEM bundle of the CAs client certificates must chain to. */
    static final ConfigOption<String> TLS_CLIENT_CA = declare(ConfigOption.text("tls.client.ca"));
    /** Protocols to enable; empty for TLSv1.3 and TLSv1.2. */
    static final ConfigOption<List<String>> TLS_PROTOCOLS = declare(ConfigOption.list("tls.protocols"));
    /** Cipher suites to enable; empty for the JDK's defaults for those protocols. */
    static final ConfigOption<List<String>> TLS_CIPHERS = declare(ConfigOption.list("tls.ciphers"));
    /** Application protocols offered by ALPN, in order of preference; empty for none. */
    static final ConfigOption<List<String>> TLS_ALPN = declare(ConfigOption.list("tls.alpn"));
    /** How long a client may take to complete the TLS handshake. */
    static final ConfigOption<Duration> TLS_HANDSHAKE_TIMEOUT = declare(
            ConfigOption.positiveDuration("tls.handshake.timeout", Duration.ofSeconds(10)));

    /** none, v1, v2 or any: whether each connection starts with a PROXY protocol header (HAProxy's, nginx's). */
    static final ConfigOption<String> PROXY_PROTOCOL = declare(ConfigOption.text("proxy.protocol"));
    /** The addresses (CIDR ranges) of the proxies allowed to send that header; required for TCP with proxy.protocol. */
    static final ConfigOption<List<String>> PROXY_TRUSTED = declare(ConfigOption.list("proxy.trusted"));
    /** How long a proxy may take to send the whole header. */
    static final ConfigOption<Duration> PROXY_TIMEOUT = declare(ConfigOption.positiveDuration("proxy.timeout", Duration.ofSeconds(5)));

    private static final Set<String> KEYS = keysOf(DECLARED);

    private ListenerConfig() {
    }

    /** Every key a listener configuration may hold. */
    static Set<String> keys() {
        return KEYS;
    }

    private static <T> ConfigOption<T> declare(ConfigOption<T> option) {
        DECLARED.add(option);
        return option;
    }

    private static Set<String> keysOf(List<ConfigOption<?>> options) {
        Set<String> keys = new LinkedHashSet<>();
        for (ConfigOption<?> option : options) {
            if (!keys.add(option.key())) {
                throw new IllegalStateException("listener key declared twice: " + option.key());
            }
        }
        return Collections.unmodifiableSet(keys);
    }
}
