package io.portside.server.internal;

/**
 * A request the host can attach its own state to, as NIO's {@code SelectionKey.attach}: the hosting layer pins a
 * request to a handler revision on the accepting thread and reads the pin back in the worker, without a map keyed
 * by request. The hand-off to the worker (an executor, or a queue for forking) publishes the attachment.
 */
public abstract class HostAttachment {

    private Object attachment;

    /** Replaces the attachment; {@code null} clears it. */
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** The attachment, or {@code null}. */
    public final Object attachment() {
        return attachment;
    }
}
