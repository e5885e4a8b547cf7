package io.portside.handler.api;

import java.io.IOException;
import java.net.SocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** A datagram server's socket as its handlers see it: they may send from it, never close it. */
@ProviderType
public interface ReplySocket {

    /** Sends one datagram from the server's address ({@code sendto}). */
    void sendTo(byte[] data, int offset, int length, SocketAddress target) throws IOException;

    /** The server's bound address. */
    SocketAddress localAddress();

    /** UDP or Unix datagram. */
    Transport transport();
}
