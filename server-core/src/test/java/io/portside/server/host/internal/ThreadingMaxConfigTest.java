package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.Concurrency;

/** {@code threading.max}: declared once in {@link ListenerConfig}, applied to a listener that runs {@code threading}. */
class ThreadingMaxConfigTest {

    private static final Path HOME = Path.of("/tmp");
    private static final String PID = "io.portside.listener~web";

    @Test
    void aConfiguredBoundIsRead() {
        ConcurrencySpec spec = concurrency("concurrency", "threading", "threading.max", "50");
        assertEquals(Concurrency.THREADING, spec.kind());
        assertEquals(50, spec.threadingMax());
        assertEquals("threading(max 50)", spec.toString());
    }

    @Test
    void threadingWithoutTheKeyAndAHandlersOwnChoiceGetTheDefault() {
        assertEquals(256, ConcurrencySpec.DEFAULT_THREADING_MAX);
        assertEquals(256, concurrency("concurrency", "threading").threadingMax());
        assertEquals("threading", concurrency("concurrency", "threading").toString());
        assertEquals(256, ConcurrencySpec.DEFAULT_KNOBS.forKind("threading").threadingMax());
    }

    @Test
    void otherModelsIgnoreTheKeySoChangingItReplacesNothing() {
        assertEquals(concurrency("concurrency", "pool"), concurrency("concurrency", "pool", "threading.max", "3"));
        assertEquals(ConcurrencySpec.DEFAULT_THREADING_MAX, concurrency("concurrency", "virtual", "threading.max", "3").threadingMax());
    }

    /** A file that leaves the model to the handler still sets its knobs: they apply to the model the handler picks. */
    @Test
    void theKnobsApplyToTheModelTheHandlerChooses() {
        ListenerSpec spec = ListenerSpecs.explicit(PID, config("threading.max", "50", "pool.size", "4"), HOME);
        assertEquals(null, spec.concurrency(), "no model configured: the handler's own choice");
        assertEquals("threading(max 50)", spec.knobs().forKind("threading").toString());
        assertEquals("pool(4, queue 64)", spec.knobs().forKind("pool").toString());
        ConcurrencySpec running = ConcurrencySpec.DEFAULT_KNOBS.forKind("threading");
        assertEquals(50, spec.keepingModel(running).concurrency().threadingMax(), "a running listener keeps its model, with the file's knobs");
        assertEquals("'pool.size' is not a whole number: 'x'", bad("pool.size", "x"), "a bad knob is refused even without a model");
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("'threading.max' must be at least 1: 0", bad("concurrency", "threading", "threading.max", "0"));
        assertEquals("'threading.max' is not a whole number: 'lots'", bad("concurrency", "threading", "threading.max", "lots"));
    }

    private static ConcurrencySpec concurrency(String... keyValues) {
        return ListenerSpecs.explicit(PID, config(keyValues), HOME).concurrency();
    }

    private static String bad(String... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> ListenerSpecs.explicit(PID, config(keyValues), HOME)).getMessage();
    }

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> props = new HashMap<>(Map.of("endpoint", "tcp://127.0.0.1:9000", "handler", "echo", "service.pid", PID));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }
}
