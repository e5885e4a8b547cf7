package com.example.handlers;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/** The reverse handler on TCP and on a Unix stream socket under the host's home. */
@Component(name = "com.example.handlers.reverse.stream", service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "reverse", endpoint = {"tcp://127.0.0.1:9101", "unix:sockets/reverse.sock"},
        concurrency = "virtual")
public final class ReverseStreamService implements StreamHandlerFactory {

    @Override
    public StreamRequestHandler newHandler() {
        return new ReverseStreamHandler();
    }
}
