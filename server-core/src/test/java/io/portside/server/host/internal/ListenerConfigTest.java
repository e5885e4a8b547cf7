package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portside.server.internal.StreamLimits;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.Concurrency;
import io.portside.server.forking.ForkingOptions;

/** A listener configuration: its keys, defaults and messages all come from {@link ListenerConfig}. */
class ListenerConfigTest {

    private static final Path HOME = Path.of("/tmp");
    private static final String PID = "io.portside.listener~web";

    @Test
    void theKnownKeysAreTheDeclaredOnes() {
        assertEquals(Set.of("name", "endpoint", "handler", "handler.target", "concurrency", "pool.size", "pool.queue",
                "threading.max",
                "forking.max.children", "forking.min.idle", "forking.max.requests", "forking.wait", "forking.startup.timeout",
                "forking.jvm.options", "policy.target", "policy.required", "backlog", "drain.timeout", "gap.timeout", "unix.mode",
                "unix.group", "max.connections", "idle.timeout", "first.byte.timeout", "write.timeout", "request.warn",
                "request.deadline", "tls.certificate", "tls.key", "tls.client.auth", "tls.client.ca", "tls.protocols", "tls.ciphers",
                "tls.alpn", "tls.handshake.timeout", "proxy.protocol", "proxy.trusted", "proxy.timeout", "reuseport.sockets"),
                ListenerKeys.KNOWN);
    }

    @Test
    void aMinimalConfigurationTakesEveryDefault() {
        ListenerSpec spec = ListenerSpecs.explicit(PID, config(), HOME);
        assertEquals("web", spec.name());
        assertEquals("tcp://127.0.0.1:9000", spec.endpoint().text());
        assertNull(spec.concurrency(), "the handler's own choice");
        assertEquals(1024, spec.backlog());
        assertEquals(Duration.ofSeconds(30), spec.drain());
        assertEquals(Duration.ofSeconds(5), spec.gap());
        assertEquals(List.of(), spec.requiredPolicies());
        assertNull(spec.policyFilter());
        assertEquals(UnixSocketOptions.DEFAULT, spec.unixSocket());
        assertEquals(ListenerSpec.DEFAULT_DRAIN, spec.drain());
        assertEquals(ForkingOptions.DEFAULT_MAX_CHILDREN, ForkingSettings.DEFAULTS.maxChildren());
        assertEquals(new StreamLimits(Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(60)), spec.timeLimits().stream());
        assertEquals(Duration.ofSeconds(60), spec.timeLimits().requestWarn());
        assertEquals(Duration.ZERO, spec.timeLimits().requestDeadline(), "no deadline unless asked for");
    }

    @Test
    void timeLimitsAreReadAndZeroTurnsOneOff() {
        TimeLimits limits = ListenerSpecs.explicit(PID, config("idle.timeout", "2s", "first.byte.timeout", "0", "write.timeout", "750ms",
                "request.warn", "0", "request.deadline", "10m"), HOME).timeLimits();
        assertEquals(new StreamLimits(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMillis(750)), limits.stream());
        assertEquals(new TimeLimits(limits.stream(), Duration.ZERO, Duration.ofMinutes(10)), limits);
        assertTrue(limits.watchesRequests());
        assertFalse(TimeLimits.from(Map.of("request.warn", "0")).watchesRequests());
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("idle.timeout", "-1s"), HOME)).contains("idle.timeout"));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("write.timeout", "soon"), HOME)).contains("write.timeout"));
    }

    @Test
    void everySettingIsRead() {
        ListenerSpec spec = ListenerSpecs.explicit(PID, config("name", "front", "concurrency", "pool", "pool.size", "4", "pool.queue", "0",
                "backlog", "50", "drain.timeout", "2m", "gap.timeout", "500ms", "policy.required", "office, per-client",
                "policy.target", "(portside.policy=x)"), HOME);
        assertEquals("front", spec.name());
        assertEquals(new ConcurrencySpec(Concurrency.POOL, 4, 0, ConcurrencySpec.DEFAULT_THREADING_MAX, ForkingSettings.DEFAULTS), spec.concurrency());
        assertEquals(50, spec.backlog());
        assertEquals(Duration.ofMinutes(2), spec.drain());
        assertEquals(Duration.ofMillis(500), spec.gap());
        assertEquals(List.of("office", "per-client"), spec.requiredPolicies());
        assertEquals(List.of("office", "per-client"),
                ListenerSpecs.explicit(PID, config("policy.required", "office per-client"), HOME).requiredPolicies(),
                "lists split as the policies' own do");
    }

    @Test
    void forkingKnobsAreReadOnce() {
        ForkingSettings f = ForkingSettings.of(Map.of("forking.max.children", "3", "forking.min.idle", "0", "forking.max.requests", "9",
                "forking.wait", "1s", "forking.startup.timeout", "1m", "forking.jvm.options", " -Xmx128m  -Da=b,c "));
        assertEquals(new ForkingSettings(3, 0, 9, Duration.ofSeconds(1), Duration.ofMinutes(1), List.of("-Xmx128m", "-Da=b,c")), f);
        assertEquals("'forking.wait' must be above 0: '0'", bad(() -> ForkingSettings.of(Map.of("forking.wait", "0"))));
        assertEquals("'forking.max.children' must be at least 1: 0", bad(() -> ForkingSettings.of(Map.of("forking.max.children", "0"))));
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("'drain.timeout' is not a duration: 'soon' (expected e.g. 500ms, 30s, 2m)",
                bad(() -> ListenerSpecs.explicit(PID, config("drain.timeout", "soon"), HOME)));
        assertEquals("'backlog' must be at least 1: 0", bad(() -> ListenerSpecs.explicit(PID, config("backlog", "0"), HOME)));
        assertEquals("'pool.size' is not a whole number: 'many'",
                bad(() -> ListenerSpecs.explicit(PID, config("concurrency", "pool", "pool.size", "many"), HOME)));
        assertEquals("'pool.queue' must be at least 0: -1",
                bad(() -> ListenerSpecs.explicit(PID, config("concurrency", "pool", "pool.queue", "-1"), HOME)));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("concurrency", "pooled"), HOME)).startsWith("'concurrency': "));
        assertEquals("'endpoint' is required (e.g. endpoint=tcp://127.0.0.1:9999)",
                bad(() -> ListenerSpecs.explicit(PID, Map.of("handler", "echo"), HOME)));
        assertEquals("'handler' or 'handler.target' is required",
                bad(() -> ListenerSpecs.explicit(PID, Map.of("endpoint", "tcp://127.0.0.1:9000"), HOME)));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("policy.target", "(x"), HOME)).startsWith("'policy.target' is not a valid filter"));
    }

    @Test
    void poolKnobsWithoutAModelAreReadForTheHandlersModel() {
        ListenerSpec spec = ListenerSpecs.explicit(PID, config("pool.size", "4"), HOME);
        assertNull(spec.concurrency(), "no model configured: settled with the handler's own choice");
        assertEquals(4, spec.knobs().poolSize(), "applied to it, so a bad value is no longer ignored");
        assertEquals("'pool.size' is not a whole number: 'many'", bad(() -> ListenerSpecs.explicit(PID, config("pool.size", "many"), HOME)));
    }

    @Test
    void tlsWithAConfiguredForkingModelIsAConfigurationError() {
        assertEquals("'tls.certificate': TLS is not served with concurrency=forking (a worker process gets the bare connection);"
                + " choose virtual, threading or pool",
                bad(() -> ListenerSpecs.explicit(PID, config("concurrency", "forking", "tls.certificate", "a.pem", "tls.key", "a.key"), HOME)));
        ListenerSpecs.explicit(PID, config("concurrency", "virtual", "tls.certificate", "a.pem", "tls.key", "a.key"), HOME);
    }

    @Test
    void theProxyProtocolNeedsTrustedProxiesOnTcpAndTakesNoneOnUnix() {
        ListenerProxyConfig p = ListenerSpecs.explicit(PID, config("proxy.protocol", "v2", "proxy.trusted", "127.0.0.1, 10.0.0.0/8"), HOME).proxy();
        assertTrue(p.trusts(new java.net.InetSocketAddress("10.1.2.3", 4000)));
        assertFalse(p.trusts(new java.net.InetSocketAddress("127.0.0.2", 4000)));
        assertEquals(Duration.ofSeconds(5), p.timeout());
        assertEquals("'proxy.trusted' is required with proxy.protocol=any: the addresses of the proxies allowed to send a header"
                + " (e.g. 127.0.0.1, 10.0.0.0/24)", bad(() -> ListenerSpecs.explicit(PID, config("proxy.protocol", "any"), HOME)));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("proxy.protocol", "v3"), HOME)).startsWith("'proxy.protocol': "));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("proxy.protocol", "v1", "proxy.trusted", "localhost"), HOME))
                .startsWith("'proxy.trusted': "));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("endpoint", "udp://127.0.0.1:9000", "proxy.protocol", "v2",
                "proxy.trusted", "127.0.0.1"), HOME)).contains("stream endpoints"));
        assertTrue(bad(() -> ListenerSpecs.explicit(PID, config("endpoint", "unix:/tmp/x.sock", "proxy.protocol", "v2",
                "proxy.trusted", "127.0.0.1"), HOME)).contains("does not apply to a Unix socket"));
        assertTrue(ListenerSpecs.explicit(PID, config("endpoint", "unix:/tmp/x.sock", "proxy.protocol", "v2"), HOME).proxy().enabled());
        assertFalse(ListenerSpecs.explicit(PID, config(), HOME).proxy().enabled());
    }

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> props = new HashMap<>(Map.of("endpoint", "tcp://127.0.0.1:9000", "handler", "echo", "service.pid", PID));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static String bad(org.junit.jupiter.api.function.Executable parse) {
        return assertThrows(IllegalArgumentException.class, parse).getMessage();
    }
}
