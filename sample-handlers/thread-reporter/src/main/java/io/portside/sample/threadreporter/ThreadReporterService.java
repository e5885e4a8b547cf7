package io.portside.sample.threadreporter;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/**
 * The thread-reporter handler on TCP 127.0.0.1:9998, one platform thread per request (Python's
 * {@code ThreadingMixIn}, as in the seed). Try the other models with a listener configuration
 * ({@code handler=thread-reporter}, {@code concurrency=sync|threading|pool|virtual}); move it with
 * {@code deploy/io.portside.sample.threadreporter.cfg}.
 */
@Component(name = "io.portside.sample.threadreporter", service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "thread-reporter", endpoint = "tcp://127.0.0.1:9998", concurrency = "threading")
public final class ThreadReporterService implements StreamHandlerFactory {

    @Override
    public StreamRequestHandler newHandler() {
        return new ThreadReporterHandler();
    }
}
