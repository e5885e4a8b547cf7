package io.portside.server.internal;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * The calls into one connection's protocol, on its loop. Whatever the protocol (or its factory) throws is caught and
 * handed back, never thrown on: checked exceptions past javac, an OutOfMemoryError from a length a client claimed, a
 * StackOverflowError all end that connection only.
 */
final class ProtocolCalls {

    enum Callback { MADE, DATA, EOF, PAUSE, RESUME }

    private final Supplier<StreamProtocol> factory;
    private StreamProtocol protocol; // made on the loop, at the start: a slow factory never holds up the accepting thread
    private int depth;               // calls running now (a write inside dataReceived can call pauseWriting)
    private boolean keepOpen;        // eofReceived's last answer

    ProtocolCalls(Supplier<StreamProtocol> factory) {
        this.factory = factory;
    }

    /** Makes the protocol; returns what the factory threw, or null. */
    Throwable make() {
        try {
            protocol = factory.get();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** True once the protocol exists: only then is it told connectionLost. */
    boolean made() {
        return protocol != null;
    }

    /** True while a call into the protocol runs (the connection ends only between calls). */
    boolean running() {
        return depth > 0;
    }

    /** eofReceived's answer to the last EOF call: true to keep the connection open for writing. */
    boolean keepOpen() {
        return keepOpen;
    }

    /** Calls the protocol; returns what it threw, or null. */
    Throwable call(Callback callback, ProtocolTransport transport, ByteBuffer data) {
        depth++;
        try {
            switch (callback) {
                case MADE -> protocol.connectionMade(transport);
                case DATA -> protocol.dataReceived(data);
                case EOF -> keepOpen = protocol.eofReceived();
                case PAUSE -> protocol.pauseWriting();
                case RESUME -> protocol.resumeWriting();
            }
            return null;
        } catch (Throwable t) {
            keepOpen = false;
            return t;
        } finally {
            depth--;
        }
    }

    /** connectionLost, if the protocol was made; returns what it threw, or null. */
    Throwable lost(Exception cause) {
        if (protocol == null) {
            return null;
        }
        depth++;
        try {
            protocol.connectionLost(cause);
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            depth--;
        }
    }
}
