package com.example.handlers;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.HandlerEndpoint;

/** The reverse handler on UDP. Datagrams are short: "sync" handles them one after another on the receiving thread. */
@Component(name = "com.example.handlers.reverse.datagram", service = DatagramHandlerFactory.class)
@HandlerEndpoint(handler = "reverse", endpoint = "udp://127.0.0.1:9101", concurrency = "sync")
public final class ReverseDatagramService implements DatagramHandlerFactory {

    @Override
    public DatagramRequestHandler newHandler() {
        return new ReverseDatagramHandler();
    }
}
