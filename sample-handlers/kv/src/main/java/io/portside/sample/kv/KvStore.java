package io.portside.sample.kv;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys and values, with their bounds. The map is the state a revision hands to its successor on a swap, so it is
 * a JDK type (both revisions' class loaders know it) and it is the very object both revisions write to while the old
 * one drains. The bounds are checked here rather than kept in a counter of their own: a counter would be one more
 * object to hand over, and the map's size is what the successor sees anyway.
 */
final class KvStore {

    /** Longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 64;
    /** Longest value, in UTF-8 bytes. */
    static final int MAX_VALUE_BYTES = 1024;
    /** Most keys held; a SET of a new key beyond it is refused (concurrent SETs may pass it by a few). */
    static final int MAX_KEYS = 100_000;

    /** Why a SET was refused. */
    enum Refusal {
        FULL("full"),
        KEY_TOO_LONG("key too long"),
        VALUE_TOO_LONG("value too long");

        final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }
    }

    private volatile ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();

    ConcurrentHashMap<String, String> map() {
        return map;
    }

    /** Uses {@code live} from now on (a predecessor's map, taken over as it is). */
    void adopt(ConcurrentHashMap<String, String> live) {
        map = live;
    }

    String get(String key) {
        return map.get(key);
    }

    /** Stores the value; returns why not, or null. */
    Refusal set(String key, String value, int keyBytes, int valueBytes) {
        if (keyBytes > MAX_KEY_BYTES) {
            return Refusal.KEY_TOO_LONG;
        }
        if (valueBytes > MAX_VALUE_BYTES) {
            return Refusal.VALUE_TOO_LONG;
        }
        ConcurrentHashMap<String, String> m = map;
        if (m.size() >= MAX_KEYS && !m.containsKey(key)) {
            return Refusal.FULL;
        }
        m.put(key, value);
        return null;
    }

    /** True if the key was there. */
    boolean delete(String key) {
        return map.remove(key) != null;
    }
}
