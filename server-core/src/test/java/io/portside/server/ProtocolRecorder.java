package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * A protocol that records every callback and checks the order asyncio promises: {@code connectionMade} first and once,
 * {@code connectionLost} once and last, nothing after it, and no two callbacks of the connection at once on different
 * threads (a callback nested in a transport call on the same thread, as {@code pauseWriting} inside {@code write}, is
 * allowed). Subclasses override the {@code on*} hooks; the callbacks themselves are final so that every one is seen.
 */
class ProtocolRecorder implements StreamProtocol {

    volatile ProtocolTransport transport;
    volatile Exception lostCause;
    final CountDownLatch lost = new CountDownLatch(1);
    final CountDownLatch made = new CountDownLatch(1);
    private final List<String> events = new ArrayList<>();   // guarded by this
    private final List<String> violations = new ArrayList<>(); // guarded by this
    private final List<String> threads = new ArrayList<>();  // guarded by this: the thread of each callback
    private Thread inside;  // guarded by this: the thread now in a callback
    private int depth;      // guarded by this
    private long bytes;     // guarded by this

    void onMade() {
    }

    void onData(ByteBuffer data) {
    }

    boolean onEof() {
        return false;
    }

    void onPause() {
    }

    void onResume() {
    }

    void onLost(Exception cause) {
    }

    @Override
    public final void connectionMade(ProtocolTransport t) {
        enter("made");
        try {
            transport = t;
            made.countDown();
            onMade();
        } finally {
            exit();
        }
    }

    @Override
    public final void dataReceived(ByteBuffer data) {
        enter("data");
        synchronized (this) {
            bytes += data.remaining();
        }
        try {
            onData(data);
        } finally {
            exit();
        }
    }

    @Override
    public final boolean eofReceived() {
        enter("eof");
        try {
            return onEof();
        } finally {
            exit();
        }
    }

    @Override
    public final void pauseWriting() {
        enter("pause");
        try {
            onPause();
        } finally {
            exit();
        }
    }

    @Override
    public final void resumeWriting() {
        enter("resume");
        try {
            onResume();
        } finally {
            exit();
        }
    }

    @Override
    public final void connectionLost(Exception cause) {
        enter("lost");
        lostCause = cause;
        try {
            onLost(cause);
        } finally {
            exit();
            lost.countDown();
        }
    }

    private synchronized void enter(String event) {
        Thread me = Thread.currentThread();
        if (events.isEmpty() && !event.equals("made")) {
            violations.add(event + " before connectionMade");
        }
        if (events.contains("lost")) {
            violations.add(event + " after connectionLost");
        }
        if (event.equals("made") && events.contains("made")) {
            violations.add("connectionMade twice");
        }
        if (inside != null && inside != me) {
            violations.add(event + " on " + me + " while " + inside + " was in a callback");
        }
        if (depth > 0 && !event.equals("pause")) {
            violations.add(event + " nested inside another callback: " + events);
        }
        inside = me;
        depth++;
        events.add(event);
        threads.add(me.getName());
    }

    private synchronized void exit() {
        if (--depth == 0) {
            inside = null;
        }
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    synchronized long bytesReceived() {
        return bytes;
    }

    synchronized int count(String event) {
        return (int) events.stream().filter(event::equals).count();
    }

    /** Waits (bounded) for connectionLost, then checks the whole sequence. */
    void assertEndedWellFormed() throws InterruptedException {
        assertTrue(lost.await(5, TimeUnit.SECONDS), "connectionLost within 5 s; events so far: " + events());
        synchronized (this) {
            assertEquals(List.of(), violations, "callback order; events: " + events);
            assertEquals("made", events.get(0), "connectionMade first: " + events);
            assertEquals("lost", events.get(events.size() - 1), "connectionLost last: " + events);
            assertEquals(1, count("lost"), "connectionLost once: " + events);
        }
    }
}
