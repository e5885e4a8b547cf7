package io.portside.server.proxy.internal;

import java.io.IOException;

/** A PROXY protocol header was refused; the connection must be closed. */
public final class ProxyHeaderException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient ProxyFailure failure;

    public ProxyHeaderException(ProxyFailure failure) {
        super(failure.text());
        this.failure = failure;
    }

    /** Why. */
    public ProxyFailure failure() {
        return failure;
    }

    /** Refusals are expected traffic (scanners, misconfigured proxies): a stack trace would only cost. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
