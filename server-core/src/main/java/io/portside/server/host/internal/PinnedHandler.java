package io.portside.server.host.internal;

import io.portside.handler.api.BaseRequestHandler;

/**
 * Runs a handler of one revision and keeps the request counted on that revision while it runs:
 * the request stays pinned to the revision that was current when it started, whatever swaps follow.
 */
final class PinnedHandler<R> extends BaseRequestHandler<R> {

    private final HandlerRevision revision;
    private final BaseRequestHandler<R> delegate;

    PinnedHandler(HandlerRevision revision, BaseRequestHandler<R> delegate) {
        this.revision = revision;
        this.delegate = delegate;
    }

    @Override
    protected void setup() {
        revision.opened(request);
    }

    @Override
    protected void handle() throws Exception {
        delegate.run(request, clientAddress, server);
    }

    @Override
    protected void finish() {
        revision.ended(request);
    }
}
