package com.example.shout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/** deploy/com.example.shout.cfg (the component name) moves it: portside.endpoint=tcp://127.0.0.1:7777 */
@Component(name = "com.example.shout", service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "shout", endpoint = "tcp://127.0.0.1:9100", concurrency = "virtual")
public final class ShoutService implements StreamHandlerFactory {

    /** A fresh instance serves each connection: setup(), handle(), finish(). */
    public static final class ShoutHandler extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            for (byte[] line; (line = rfile.readLine(65536)).length > 0; ) {
                String upper = new String(line, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
                wfile.write(upper.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public StreamRequestHandler newHandler() {
        return new ShoutHandler();
    }
}
