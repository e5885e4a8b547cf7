package io.portside.sample.echo;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.HandlerEndpoint;

/**
 * The echo handler on UDP 127.0.0.1:9999 and the Unix datagram socket {@code <home>/sockets/echo-dgram.sock}.
 * Move it with {@code deploy/io.portside.sample.echo.datagram.cfg}.
 */
@Component(name = "io.portside.sample.echo.datagram", service = DatagramHandlerFactory.class)
@HandlerEndpoint(handler = "echo", endpoint = {"udp://127.0.0.1:9999", "unixgram:sockets/echo-dgram.sock"}, concurrency = "sync")
public final class EchoDatagramService implements DatagramHandlerFactory {

    @Override
    public DatagramRequestHandler newHandler() {
        return new EchoDatagramHandler();
    }
}
