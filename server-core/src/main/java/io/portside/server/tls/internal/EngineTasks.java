package io.portside.server.tls.internal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/** The engine's delegated tasks (certificate checks, key agreement), run inline: the caller is the connection's own thread. */
final class EngineTasks {

    private EngineTasks() {
    }

    /** Runs every pending task; returns the handshake status they leave. */
    static HandshakeStatus run(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }
}
