package io.portside.server.host.internal;

import io.portside.handler.api.BaseRequestHandler;

/**
 * Runs one request on the revision it was pinned to when it was accepted (or, if it was accepted in the gap, on
 * the next revision to become active), and keeps it counted on that revision while it runs, whatever swaps follow.
 * A request accepted while one of the listener's policies was being replaced is judged here first.
 */
final class PinnedHandler<R> extends BaseRequestHandler<R> {

    private final Listener listener;
    private HandlerRevision revision;
    private BaseRequestHandler<R> delegate;

    PinnedHandler(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void setup() {
        listener.admitDeferred(request, clientAddress);
        revision = listener.revisionFor(request);
        delegate = revision.newHandler();
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
