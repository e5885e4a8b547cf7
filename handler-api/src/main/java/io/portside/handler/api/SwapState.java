package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * State a handler hands to its own next revision when its bundle is swapped (Erlang's {@code code_change}). The
 * handler's service object (the {@link StreamHandlerFactory} or {@link DatagramHandlerFactory} component) implements
 * it; the host calls, for each listener the handler serves, in this order and before the new revision gets its first
 * connection:
 * <ol>
 * <li>{@link #handOverState()} on the outgoing revision (also when its bundle has already been stopped: the object
 * lives on while its connections drain);</li>
 * <li>{@link #takeOverState(Object)} on the incoming revision with what step 1 returned.</li>
 * </ol>
 * State passes only between revisions registered under the same {@link PortsideProperties#HANDLER handler name}, and
 * only when both implement this interface; a first revision gets no call. If either call throws, or the two take
 * longer than 2 seconds, the host logs one line and the new revision starts with the state it has (fail safe: a swap
 * is never held up).
 *
 * <p><b>Hand over the live object, not a copy.</b> The outgoing revision's connections keep running while they drain,
 * and the writes they make must not be lost. So the state should be one thread-safe object both revisions use, such
 * as a {@code java.util.concurrent.ConcurrentHashMap}, which the incoming revision adopts as it is.
 *
 * <p><b>Only JDK and API types cross.</b> The two revisions are different bundles with different class loaders: a
 * class of the outgoing bundle is a different class in the incoming one ({@code ClassCastException}), and holding one
 * keeps the old bundle's class loader alive. Use JDK types (maps of strings and byte arrays, records of this API), or
 * serialise to bytes. {@link #takeOverState(Object)} must check what it gets, as an older revision may hand over an
 * older format, which it may convert (copying then loses the old revision's later writes: prefer formats that stay).
 *
 * <p><b>Forking workers</b> ({@code concurrency=forking}) run handlers in their own processes: their state is per
 * process and is not handed over; these calls reach only the service objects in the host's process.
 *
 * @param <S> the state's type, made of JDK or API types
 * @since 1.7
 */
@ConsumerType
public interface SwapState<S> {

    /**
     * Called on the outgoing revision: the state its successor takes over. May return null for nothing to hand over.
     * It must not stop using the state: connections still draining on this revision keep reading and writing it.
     *
     * @return the live state, made of JDK or API types
     */
    S handOverState();

    /**
     * Called on the incoming revision before its first connection, with what its predecessor handed over (never
     * null). Check the type: an older revision may hand over an older format, which this method may convert.
     *
     * @param predecessorState the outgoing revision's {@link #handOverState()}
     * @throws IllegalArgumentException if the state is of a kind this revision cannot take over; it then keeps its own
     */
    void takeOverState(Object predecessorState);
}
