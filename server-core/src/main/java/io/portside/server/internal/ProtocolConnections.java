package io.portside.server.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.portside.handler.api.StreamProtocol;

/**
 * The connections one server (or one hosted listener) serves with {@link StreamProtocol}s, on readiness loops of its
 * own, so that a protocol that blocks its loop stalls only its own server's connections. The loops' threads start
 * with the first connection and end after ten idle seconds.
 */
public final class ProtocolConnections {

    private final ReadinessLoops loops;
    private final Set<ProtocolChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** {@code name} names the loops' threads: {@code portside-protocol-NAME-0}, ... */
    public ProtocolConnections(String name) {
        this.loops = ReadinessLoops.own("portside-protocol-" + name + "-");
    }

    /**
     * Serves {@code channel} (blocking or not; nothing read from it yet) with a protocol from {@code factory} (called on
     * the loop) under {@code limits}, until it ends; {@code ending} is then told, once, on the loop, after the socket was
     * closed. {@code client} is the address the protocol is told (a PROXY header's client), null for the socket's peer;
     * {@code firstByteFrom} when the client's first-byte wait began. {@code taken} gets the connection's handle before
     * anything can end it. Returns at once: the connection lives on a loop. Throws, with the socket still the caller's,
     * if the connection cannot be registered.
     */
    public ProtocolHandle serve(SocketChannel channel, SocketAddress client, Supplier<StreamProtocol> factory, StreamLimits limits,
            long firstByteFrom, ProtocolEnding ending, Consumer<ProtocolHandle> taken) throws IOException {
        if (closed) {
            throw new IOException("the server's protocol connections are closed");
        }
        ProtocolChannel connection = new ProtocolChannel(channel, client, factory, loops.next(), limits, firstByteFrom, (c, how, failure) -> {
            open.remove(c);
            closeQuietly(channel);
            ending.ended(c, how, failure);
        });
        open.add(connection);
        taken.accept(connection);
        try {
            connection.start();
        } catch (IOException | RuntimeException | Error e) {
            open.remove(connection);
            throw e;
        }
        if (closed) { // close() may have gone over the set before this one was in it
            connection.shutdown();
        }
        return connection;
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Shuts every open connection down (each protocol is told {@code connectionLost}); later ones are refused. */
    public void close() {
        closed = true;
        for (ProtocolChannel c : new ArrayList<>(open)) {
            c.shutdown();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }
}
