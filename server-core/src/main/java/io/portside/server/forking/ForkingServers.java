package io.portside.server.forking;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/** What the four forking servers share. */
final class ForkingServers {

    private ForkingServers() {
    }

    /** {@link HandlerClass#of}, also refusing a handler of the other kind of transport (a datagram handler for a stream server). */
    static HandlerClass handlerFor(Class<?> type, boolean stream) {
        boolean streamType = StreamRequestHandler.class.isAssignableFrom(type) || StreamHandlerFactory.class.isAssignableFrom(type);
        boolean datagramType = DatagramRequestHandler.class.isAssignableFrom(type) || DatagramHandlerFactory.class.isAssignableFrom(type);
        if (stream ? datagramType : streamType) {
            throw new IllegalArgumentException(type.getName() + " handles " + (stream ? "datagrams" : "streams") + " but this is a "
                    + (stream ? "stream" : "datagram") + " server");
        }
        return HandlerClass.of(type);
    }
}
