package io.portside.sample.echo;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamProtocol;
import io.portside.handler.api.StreamProtocolFactory;

/**
 * The echo sample as an event-driven protocol ({@link EchoProtocol}): what the blocking echo does, without a thread per
 * connection. It declares no endpoint; a listener binds it by name. A first start seeds one, on TCP 127.0.0.1:9995
 * ({@code deploy/io.portside.listener-echo-protocol.cfg}: {@code endpoint=tcp://127.0.0.1:9995}, {@code handler=echo-protocol}).
 */
@Component(name = "io.portside.sample.echo.protocol", service = StreamProtocolFactory.class)
@HandlerEndpoint(handler = "echo-protocol")
public final class EchoProtocolService implements StreamProtocolFactory {

    @Override
    public StreamProtocol newProtocol() {
        return new EchoProtocol();
    }
}
