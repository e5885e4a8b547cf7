package io.portside.handler.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares, on a DS component that provides a {@link StreamHandlerFactory} or {@link DatagramHandlerFactory},
 * the handler's name and where it wants to be served. Each element becomes a service property
 * ({@code portside.handler}, {@code portside.endpoint}, {@code portside.concurrency}).
 *
 * <pre>{@code
 * @Component(service = StreamHandlerFactory.class)
 * @HandlerEndpoint(handler = "echo", endpoint = {"tcp://127.0.0.1:9999", "unix:sockets/echo.sock"})
 * public final class EchoService implements StreamHandlerFactory { ... }
 * }</pre>
 *
 * <p>Endpoint strings: {@code tcp://HOST:PORT}, {@code udp://HOST:PORT} (IPv6 hosts in brackets),
 * {@code unix:PATH} and {@code unixgram:PATH}; a relative path is resolved against the host's home.
 * A configuration with the component's PID (a {@code .cfg} in {@code deploy/}) may override any of them.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HandlerEndpoint {

    /** Prefix of every property name this annotation produces. */
    String PREFIX_ = "portside.";

    /** {@code portside.handler}: the handler's name, which listener configurations select by. */
    String handler();

    /** {@code portside.endpoint}: where to listen; empty to be served only by listener configurations. */
    String[] endpoint() default {};

    /** {@code portside.concurrency}: {@code sync}, {@code threading}, {@code pool}, {@code virtual} or {@code forking}. */
    String concurrency() default "virtual";
}
