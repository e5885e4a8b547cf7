package io.portside.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection served through a {@link ReadinessLoop}: its socket stays registered with the loop for reading
 * (level-triggered, registered once), the loop reads what arrives into the connection's inbox and wakes the thread
 * waiting for it. A handler's read that finds the inbox empty parks; no system call is made to wait, none to re-arm.
 * Writes go straight to the socket; only a write the socket cannot take waits, on the loop's write readiness.
 *
 * <p>The inbox holds at most {@link #INBOX_LIMIT} bytes: past that the loop stops reading the socket (the client then
 * meets TCP's own flow control) and the handler, once it has taken the inbox, reads the socket itself until it runs
 * dry ({@link #streaming}). While idle it holds no buffer at all.
 */
final class LoopedChannel implements LoopClient {

    /**
     * The most a connection's inbox holds before the loop stops reading its socket. Small on purpose: it is heap, held
     * for a handler that is not reading, so 10,000 such connections hold at most 160 MiB; the rest waits in the kernel.
     */
    static final int INBOX_LIMIT = 16 * 1024;

    private final SocketChannel channel;
    private final ReadinessLoop loop;
    private volatile SelectionKey key;
    // guarded by this
    private byte[] inbox;
    private int head;
    private int tail;
    private boolean eof;
    private IOException failure;
    /**
     * The loop's last read filled all it asked for, or the inbox is full: the socket likely holds more, so the loop stops
     * reading it and the handler reads it directly (no hand-off per read, as a blocking read) until a read finds nothing,
     * which gives the socket back to the loop. Netty reads on the same rule (a read that fills its buffer is read again).
     */
    private boolean streaming;
    private Thread reader;
    private Thread writer;
    /** The waiting reader's own array: the loop copies what it read straight there, past the inbox. */
    private byte[] target;
    private int targetOff;
    private int targetLen;
    private int delivered;

    LoopedChannel(SocketChannel channel, ReadinessLoop loop) {
        this.channel = channel;
        this.loop = loop;
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    // ------------------------------------------------------------------ the connection's side

    /**
     * Reads what the inbox holds into {@code b}, waiting while it is empty (unless {@code wait} is false: then 0).
     * Returns -1 at the end of the stream.
     */
    int read(byte[] b, int off, int len, boolean wait) throws IOException {
        while (true) {
            synchronized (this) {
                if (!channel.isOpen()) { // closed here (a time limit, the host): what is left unread is not the handler's any more
                    throw new ClosedChannelException();
                }
                int held = tail - head;
                if (held > 0) {
                    return takeFromInbox(b, off, len);
                }
                if (eof) {
                    return -1;
                }
                if (failure != null) {
                    throw failure;
                }
                if (streaming) { // the loop has stopped reading: the socket is this thread's until it runs dry
                    int n = channel.read(ByteBuffer.wrap(b, off, len));
                    if (n != 0) {
                        eof = n < 0;
                        return n;
                    }
                    streaming = false;
                    loop.interest(key, SelectionKey.OP_READ, true);
                }
                if (!wait) {
                    return 0;
                }
                reader = Thread.currentThread();
                target = b;
                targetOff = off;
                targetLen = len;
            }
            park();
            synchronized (this) {
                target = null;
                if (delivered > 0) {
                    int n = delivered;
                    delivered = 0;
                    return n;
                }
            }
        }
    }

    private int takeFromInbox(byte[] b, int off, int len) { // guarded by this
        int n = Math.min(tail - head, len);
        System.arraycopy(inbox, head, b, off, n);
        head += n;
        if (head == tail) {
            inbox = null; // an idle connection keeps no buffer
            head = tail = 0;
        }
        return n;
    }

    /** Bytes the inbox holds: a read of that many would not wait. */
    synchronized int held() {
        return tail - head;
    }

    /** Writes all of {@code buffer}, waiting on the loop whenever the socket takes no more (unless {@code wait} is false). */
    boolean write(ByteBuffer buffer, boolean wait) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) > 0) {
                continue;
            }
            if (!wait) {
                return false;
            }
            synchronized (this) {
                writer = Thread.currentThread();
            }
            loop.interest(key, SelectionKey.OP_WRITE, true);
            park();
            synchronized (this) {
                writer = null;
            }
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
        }
        return true;
    }

    /** The connection was closed (by its handler, the host, or a time limit): whoever waits on it wakes and sees it. */
    @Override
    public void closed() {
        Thread r;
        Thread w;
        synchronized (this) {
            r = reader;
            w = writer;
            reader = writer = null;
        }
        unpark(r);
        unpark(w);
        loop.released(key);
    }

    /** Parks until the loop or a close wakes it; an interrupt closes the channel, as a blocking channel's read does. */
    private void park() throws IOException {
        LockSupport.park(this);
        if (Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                reader = writer = null;
                target = null;
            }
            channel.close();
            closed();
            throw new ClosedByInterruptException();
        }
    }

    // ------------------------------------------------------------------ the loop's side

    /** The socket is readable: one read of it into the inbox (level-triggered: more, if any, is reported again). */
    @Override
    public void readable(ByteBuffer scratch, ByteBuffer view) {
        int room;
        synchronized (this) {
            room = INBOX_LIMIT - (tail - head);
        }
        int asked = Math.min(scratch.capacity(), Math.max(room, 1));
        scratch.clear().limit(asked);
        int n;
        IOException failed = null;
        try {
            n = channel.read(scratch);
        } catch (IOException e) {
            n = -1;
            failed = e;
        }
        if (n == 0) {
            return;
        }
        Thread r;
        synchronized (this) {
            if (n < 0) {
                eof = failed == null;
                failure = failed;
                loop.interest(key, SelectionKey.OP_READ, false); // the end is readable for ever: stop hearing it
            } else {
                scratch.flip();
                if (target != null && tail == head) { // the reader waits with an empty inbox: straight into its array
                    int k = Math.min(n, targetLen);
                    scratch.get(target, targetOff, k);
                    delivered = k;
                    target = null;
                }
                if (scratch.hasRemaining()) {
                    append(scratch);
                }
                if (n == asked || tail - head >= INBOX_LIMIT) {
                    streaming = true;
                    loop.interest(key, SelectionKey.OP_READ, false);
                }
            }
            r = reader;
            reader = null;
        }
        unpark(r);
    }

    /** The socket takes writes again: the waiting writer goes on. */
    @Override
    public void writable() {
        loop.interest(key, SelectionKey.OP_WRITE, false);
        Thread w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        unpark(w);
    }

    private void append(ByteBuffer data) { // guarded by this
        int n = data.remaining();
        int held = tail - head;
        if (inbox == null || inbox.length - tail < n) {
            byte[] next = new byte[Math.max(held + n, held == 0 ? n : Math.min(INBOX_LIMIT, 2 * (held + n)))];
            if (held > 0) {
                System.arraycopy(inbox, head, next, 0, held);
            }
            inbox = next;
            head = 0;
            tail = held;
        }
        data.get(inbox, tail, n);
        tail += n;
    }

    private static void unpark(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
