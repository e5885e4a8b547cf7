package io.portside.sample.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KvProtocolTest {

    private final KvProtocol kv = new KvProtocol(new KvStore());

    @Test
    void setGetDel() {
        assertEquals("NIL", kv.reply("GET a"));
        assertEquals("OK", kv.reply("SET a 1"));
        assertEquals("1", kv.reply("GET a"));
        assertEquals("OK", kv.reply("set a two words"));
        assertEquals("two words", kv.reply("get a"));
        assertEquals("OK", kv.reply("DEL a"));
        assertEquals("NIL", kv.reply("DEL a"));
        assertEquals("NIL", kv.reply("GET a"));
        assertEquals("OK", kv.reply("SET e "));
        assertEquals("", kv.reply("GET e"));
    }

    @Test
    void badLinesAreErrors() {
        assertEquals("ERR empty line", kv.reply(""));
        assertEquals("ERR unknown command", kv.reply("PUT a 1"));
        assertEquals("ERR usage: SET key value", kv.reply("SET a"));
        assertEquals("ERR usage: SET key value", kv.reply("SET"));
        assertEquals("ERR usage: GET key", kv.reply("GET"));
        assertEquals("ERR usage: GET key", kv.reply("GET a b"));
        assertEquals("ERR usage: DEL key", kv.reply("DEL "));
    }

    @Test
    void sizesAreBounded() {
        assertEquals("ERR key too long", kv.reply("SET " + "k".repeat(KvStore.MAX_KEY_BYTES + 1) + " v"));
        assertEquals("OK", kv.reply("SET " + "k".repeat(KvStore.MAX_KEY_BYTES) + " v"));
        assertEquals("ERR value too long", kv.reply("SET k " + "ü".repeat(KvStore.MAX_VALUE_BYTES / 2 + 1)));
        assertEquals("OK", kv.reply("SET k " + "v".repeat(KvStore.MAX_VALUE_BYTES)));
    }

    @Test
    void aFullStoreRefusesNewKeysButTakesUpdates() {
        KvStore store = new KvStore();
        for (int i = 0; i < KvStore.MAX_KEYS; i++) {
            store.map().put("k" + i, "v");
        }
        KvProtocol full = new KvProtocol(store);
        assertEquals("ERR full", full.reply("SET new v"));
        assertEquals("OK", full.reply("SET k1 w"));
        assertEquals("OK", full.reply("DEL k2"));
        assertEquals("OK", full.reply("SET new v"));
    }
}
