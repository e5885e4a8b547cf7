package ${package};

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/**
 * The shout handler, on tcp://127.0.0.1:${port} with a virtual thread per connection.
 *
 * <p>The component name is the name of the file that moves it without a rebuild:
 * {@code deploy/${package}.shout.cfg} with {@code portside.endpoint=tcp://127.0.0.1:7777} (see cfg/).
 * Listener configurations ({@code deploy/io.portside.listener-NAME.cfg}) select it by its handler name,
 * {@code handler=${artifactId}}.
 */
@Component(name = ShoutService.NAME, service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "${artifactId}", endpoint = "tcp://127.0.0.1:${port}", concurrency = "virtual")
public final class ShoutService implements StreamHandlerFactory {

    /** The DS component name, and so the PID of its configuration file. */
    static final String NAME = "${package}.shout";

    @Override
    public StreamRequestHandler newHandler() {
        return new ShoutHandler();
    }
}
