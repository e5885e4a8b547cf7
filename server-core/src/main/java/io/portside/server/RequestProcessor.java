package io.portside.server;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a server does with each request it takes from its socket. By default a server runs Python's hooks
 * ({@code verify_request}, {@code process_request}, ...); a host that plugs in its own processor gets the same accept
 * loop, bind and transport handling for every server type without subclassing any of them.
 *
 * @param <R> the request type
 */
@ConsumerType
@FunctionalInterface
public interface RequestProcessor<R> {

    /**
     * Takes over a request just accepted (or received), on the serving thread. From here the processor owns it and
     * must end it exactly once ({@link AcceptedRequest#end()}), also when it fails. It should return quickly: the
     * serving thread takes the next request when it returns.
     */
    void process(AcceptedRequest<R> request);
}
