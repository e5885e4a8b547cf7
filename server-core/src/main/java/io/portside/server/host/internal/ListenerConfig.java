package io.portside.server.host.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A listener configuration, declared once: factory PID {@code io.portside.listener}, so a file
 * {@code deploy/io.portside.listener-NAME.cfg} makes a listener called NAME. It takes its endpoint over from
 * any handler that declares the same endpoint itself.
 */
@ObjectClassDefinition(id = ListenerConfig.PID, name = "Portside listener",
        description = "Binds an endpoint to a handler, with a concurrency model, policies and drain deadlines.")
@interface ListenerConfig {

    String PID = "io.portside.listener";

    @AttributeDefinition(description = "Where to listen: tcp://HOST:PORT, udp://HOST:PORT, unix:PATH or unixgram:PATH")
    String endpoint();

    @AttributeDefinition(description = "The portside.handler name of the handler to serve (or use handler.target)")
    String handler() default "";

    @AttributeDefinition(name = "handler.target", description = "An LDAP filter over handler services; overrides 'handler'")
    String handler_target() default "";

    @AttributeDefinition(description = "sync, threading, pool, virtual or forking; empty for the handler's own choice")
    String concurrency() default "";

    @AttributeDefinition(name = "pool.size", description = "Threads of the pool (concurrency=pool)")
    int pool_size() default ConcurrencySpec.DEFAULT_POOL_SIZE;

    @AttributeDefinition(name = "pool.queue", description = "Requests that may wait for a pool thread (concurrency=pool)")
    int pool_queue() default ConcurrencySpec.DEFAULT_POOL_QUEUE;

    @AttributeDefinition(name = "forking.max.children", description = "Bound on worker processes (concurrency=forking)")
    int forking_max_children() default io.portside.server.forking.ForkingOptions.DEFAULT_MAX_CHILDREN;

    @AttributeDefinition(name = "forking.min.idle", description = "Prestarted idle workers (concurrency=forking)")
    int forking_min_idle() default io.portside.server.forking.ForkingOptions.DEFAULT_MIN_IDLE;

    @AttributeDefinition(name = "forking.max.requests", description = "Requests a worker serves before it is replaced; 0 for never")
    int forking_max_requests() default 0;

    @AttributeDefinition(name = "forking.wait", description = "How long a request may wait for a free worker before it is refused, e.g. 10s")
    String forking_wait() default "10s";

    @AttributeDefinition(name = "forking.startup.timeout", description = "How long a worker JVM may take to start, e.g. 20s")
    String forking_startup_timeout() default "20s";

    @AttributeDefinition(name = "forking.jvm.options", description = "Worker JVM options added to the defaults, space-separated, e.g. -Xmx128m")
    String forking_jvm_options() default "";

    @AttributeDefinition(name = "policy.target", description = "An LDAP filter over RequestPolicy services; empty for none")
    String policy_target() default "";

    @AttributeDefinition(name = "policy.required", description = "Names (portside.policy) of policies that must be present; "
            + "while any is missing every request is rejected")
    String[] policy_required() default {};

    @AttributeDefinition(name = "unix.mode", description = "Permissions of a unix: or unixgram: socket file, in octal, e.g. 0666; "
            + "empty for 0660 (the host's user and group only)")
    String unix_mode() default "";

    @AttributeDefinition(name = "unix.group", description = "Group (name or gid) of a unix: or unixgram: socket file; "
            + "empty keeps the host's group")
    String unix_group() default "";

    @AttributeDefinition(description = "Listen backlog")
    int backlog() default ListenerSpec.DEFAULT_BACKLOG;

    @AttributeDefinition(name = "drain.timeout", description = "How long requests on a replaced handler may run on, e.g. 30s")
    String drain_timeout() default "30s";

    @AttributeDefinition(name = "gap.timeout", description = "How long to hold requests and the socket while no handler is active, e.g. 5s")
    String gap_timeout() default "5s";
}
