package io.portside.handler.api;

/** How a server runs its requests: Python's mix-ins, plus what the JVM adds. */
public enum Concurrency {
    /** One request at a time on the serving thread (the plain {@code TCPServer}). */
    SYNC("sync"),
    /** A new platform thread per request ({@code ThreadingMixIn}). */
    THREADING("threading"),
    /** A bounded pool of platform threads with a bounded queue. */
    POOL("pool"),
    /** A new virtual thread per request. */
    VIRTUAL("virtual"),
    /** Each request in a separate worker process ({@code ForkingMixIn}). */
    FORKING("forking");

    private final String id;

    Concurrency(String id) {
        this.id = id;
    }

    /** The name used in service properties and configuration files. */
    public String id() {
        return id;
    }

    /** The model named {@code id} (case-insensitive). */
    public static Concurrency of(String id) {
        for (Concurrency c : values()) {
            if (c.id.equalsIgnoreCase(id.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown concurrency '" + id + "' (expected sync, threading, pool, virtual or forking)");
    }
}
