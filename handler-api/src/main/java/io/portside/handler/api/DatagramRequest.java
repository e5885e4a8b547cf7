package io.portside.handler.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One received datagram: the {@code request} of a datagram handler, Python's {@code (data, socket)} pair.
 */
@ProviderType
public interface DatagramRequest {

    /** The datagram's bytes, truncated to the server's {@code maxPacketSize} (the tail is discarded, as in Python). */
    byte[] packet();

    /** The server's own socket, to reply from the address the client sent to. */
    ReplySocket socket();
}
