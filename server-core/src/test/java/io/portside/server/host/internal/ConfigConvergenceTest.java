package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** When a running configuration counts as the file's: the same keys and values, whatever the framework adds. */
class ConfigConvergenceTest {

    private static Dictionary<String, Object> config(Object... keysAndValues) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }

    @Test
    void theSameKeysAndValuesAreTheSameIgnoringWhatTheFrameworkAdds() {
        assertTrue(ConfigConvergence.same(Map.of("endpoint", "tcp://127.0.0.1:1", "handler", "echo"),
                config("endpoint", "tcp://127.0.0.1:1", "handler", "echo", "service.pid", "x~y", "service.factoryPid", "x",
                        "felix.fileinstall.filename", "file:/deploy/x-y.cfg", "component.name", "c")));
    }

    @Test
    void valuesAreComparedAsTrimmedText() {
        assertTrue(ConfigConvergence.same(Map.of("max", "5"), config("max", 5)), "a typed value equals its text");
        assertTrue(ConfigConvergence.same(Map.of("handler", "echo"), config("handler", "echo  ")));
    }

    @Test
    void aChangedMissingOrExtraKeyDiffers() {
        assertFalse(ConfigConvergence.same(Map.of("handler", "echo"), config("handler", "banner")));
        assertFalse(ConfigConvergence.same(Map.of("handler", "echo", "endpoint", "tcp://h:1"), config("handler", "echo")));
        assertFalse(ConfigConvergence.same(Map.of("handler", "echo"), config("handler", "echo", "policy.required", "office")));
    }

    @Test
    void noConfigurationDiffersFromAnyFile() {
        assertFalse(ConfigConvergence.same(Map.of(), null));
    }

    @Test
    void frameworkKeysInTheFileAreIgnoredToo() {
        assertTrue(ConfigConvergence.same(Map.of("handler", "echo", "service.ranking", "10"), config("handler", "echo")));
    }
}
