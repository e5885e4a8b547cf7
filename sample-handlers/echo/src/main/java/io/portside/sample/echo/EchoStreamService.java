package io.portside.sample.echo;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/**
 * The echo handler on TCP 127.0.0.1:9999 and the Unix stream socket {@code <home>/sockets/echo.sock}.
 * Move it with {@code deploy/io.portside.sample.echo.stream.cfg}, e.g. {@code portside.endpoint=tcp://127.0.0.1:7777}.
 */
@Component(name = "io.portside.sample.echo.stream", service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "echo", endpoint = {"tcp://127.0.0.1:9999", "unix:sockets/echo.sock"}, concurrency = "virtual")
public final class EchoStreamService implements StreamHandlerFactory {

    @Override
    public StreamRequestHandler newHandler() {
        return new EchoStreamHandler();
    }
}
