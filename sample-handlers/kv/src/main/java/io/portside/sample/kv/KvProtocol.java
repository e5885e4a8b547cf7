package io.portside.sample.kv;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One command line in, one reply line out: {@code SET key value}, {@code GET key}, {@code DEL key}. Replies are
 * {@code OK}, the value, {@code NIL} (no such key), or {@code ERR <reason>}. Command names are case-insensitive; a key
 * is one word; a value is the rest of the line after the key and one space (it may hold spaces).
 */
final class KvProtocol {

    static final String OK = "OK";
    static final String NIL = "NIL";

    private final KvStore store;

    KvProtocol(KvStore store) {
        this.store = store;
    }

    /** The reply to {@code line} (without its line end). */
    String reply(String line) {
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String args = space < 0 ? "" : line.substring(space + 1);
        return switch (command.toUpperCase(Locale.ROOT)) {
            case "SET" -> set(args);
            case "GET" -> oneKey(args) ? orNil(store.get(args)) : err("usage: GET key");
            case "DEL" -> oneKey(args) ? (store.delete(args) ? OK : NIL) : err("usage: DEL key");
            case "" -> err("empty line");
            default -> err("unknown command");
        };
    }

    private String set(String args) {
        int space = args.indexOf(' ');
        if (space <= 0) {
            return err("usage: SET key value");
        }
        String key = args.substring(0, space);
        String value = args.substring(space + 1);
        KvStore.Refusal refused = store.set(key, value, utf8Length(key), utf8Length(value));
        return refused == null ? OK : err(refused.reason);
    }

    private static boolean oneKey(String args) {
        return !args.isEmpty() && args.indexOf(' ') < 0;
    }

    private static String orNil(String value) {
        return value == null ? NIL : value;
    }

    static String err(String reason) {
        return "ERR " + reason;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
