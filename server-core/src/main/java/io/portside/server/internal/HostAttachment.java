package io.portside.server.internal;

/**
 * A request the host can attach its own state to, as NIO's {@code SelectionKey.attach}: the hosting layer pins a
 * request to a handler revision on the accepting thread and reads the pin back in the worker, without a map keyed
 * by request. The hand-off to the worker (an executor, or a queue for forking) publishes the attachment.
 */
public interface HostAttachment {

    /** Replaces the attachment; {@code null} clears it. */
    void attach(Object attachment);

    /** The attachment, or {@code null}. */
    Object attachment();
}
