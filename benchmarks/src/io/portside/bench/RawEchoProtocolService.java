package io.portside.bench;

import io.portside.handler.api.StreamProtocol;
import io.portside.handler.api.StreamProtocolFactory;

/** The raw echo (bytes back unchanged, for bulk) as an event-driven protocol: host.sh's {@code protocol} model, kind raw. */
public final class RawEchoProtocolService implements StreamProtocolFactory {

    @Override
    public StreamProtocol newProtocol() {
        return EchoProtocol.raw();
    }
}
