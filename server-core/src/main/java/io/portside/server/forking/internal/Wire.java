package io.portside.server.forking.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.portside.handler.api.Transport;
import io.portside.server.internal.StreamLimits;
import io.portside.server.forking.WorkerException;

/**
 * The control protocol between the server and a worker: length-prefixed frames over a Unix stream socket. Each
 * frame is written with one {@code write}, so a descriptor attached to it ({@code SCM_RIGHTS}) travels with its
 * first byte. A worker has at most one request in flight, so at most one descriptor is ever unread. Both sides
 * encode and decode every message here, so the two ends cannot drift apart.
 */
final class Wire {

    // server -> worker
    static final byte INIT = 1;
    static final byte STREAM = 2;
    static final byte DATAGRAM = 3;
    static final byte QUIT = 4;
    // worker -> server
    static final byte HELLO = 10;
    static final byte READY = 11;
    static final byte INIT_FAILED = 12;
    static final byte DONE = 13;

    /** How a request ended, as a DONE frame reports it. */
    enum Outcome {
        OK,
        /** The handler raised an Exception: reported through handleError; the worker goes on. */
        EXCEPTION,
        /** The handler raised an Error (ServerExit and the like): the worker exits. */
        EXIT;

        static Outcome of(Throwable failure) {
            return failure == null ? OK : failure instanceof Exception ? EXCEPTION : EXIT;
        }
    }

    static final int MAX_FRAME = 1 << 24;
    private static final int MAX_CAUSES = 8;

    private Wire() {
    }

    /** A frame under construction. */
    static final class Frame {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        final DataOutputStream out = new DataOutputStream(bytes);

        Frame(byte type) {
            try {
                out.writeInt(0); // length, patched in bytes()
                out.writeByte(type);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        byte[] bytes() {
            byte[] b = bytes.toByteArray();
            int length = b.length - 4;
            b[0] = (byte) (length >>> 24);
            b[1] = (byte) (length >>> 16);
            b[2] = (byte) (length >>> 8);
            b[3] = (byte) length;
            return b;
        }

        void writeTo(OutputStream os) throws IOException {
            os.write(bytes());
            os.flush();
        }
    }

    // ------------------------------------------------------------------ messages

    /** The worker's first frame: the token it read from its standard input, and its pid. */
    static Frame hello(long token, long pid) throws IOException {
        Frame hello = new Frame(HELLO);
        hello.out.writeLong(token);
        hello.out.writeLong(pid);
        return hello;
    }

    /** True if {@code frame} is the HELLO of the worker with {@code token} and {@code pid}. */
    static boolean isHello(DataInputStream frame, long token, long pid) throws IOException {
        return frame.readByte() == HELLO && frame.readLong() == token && frame.readLong() == pid;
    }

    /** What a worker needs to know at start: the server it serves for, and the handler class to load. */
    record Init(Transport transport, SocketAddress address, ProtocolFamily family, String className, List<Path> classPath) {

        byte[] encode() throws IOException {
            Frame init = new Frame(INIT);
            writeString(init.out, transport.name());
            writeAddress(init.out, address);
            writeString(init.out, ((StandardProtocolFamily) family).name());
            writeString(init.out, className);
            init.out.writeInt(classPath.size());
            for (Path p : classPath) {
                writeString(init.out, p.toAbsolutePath().toString());
            }
            return init.bytes();
        }

        /** Reads an INIT frame, its type byte included. */
        static Init read(DataInputStream frame) throws IOException {
            if (frame.readByte() != INIT) {
                throw new IOException("expected INIT");
            }
            Transport transport = Transport.valueOf(readString(frame));
            SocketAddress address = readAddress(frame);
            ProtocolFamily family = StandardProtocolFamily.valueOf(readString(frame));
            String className = readString(frame);
            List<Path> classPath = new ArrayList<>();
            for (int i = frame.readInt(); i > 0; i--) {
                classPath.add(Path.of(readString(frame)));
            }
            return new Init(transport, address, family, className, classPath);
        }
    }

    static Frame initFailed(String reason) throws IOException {
        Frame failed = new Frame(INIT_FAILED);
        writeString(failed.out, reason);
        return failed;
    }

    /**
     * A connection to serve, with the host's time limits on it and the PROXY header the host read from it (empty for
     * none), which the worker parses again for its handler; its descriptor travels with the frame.
     */
    static byte[] stream(long id, SocketAddress client, StreamLimits limits, byte[] proxyHeader) throws IOException {
        Frame frame = new Frame(STREAM);
        frame.out.writeLong(id);
        writeAddress(frame.out, client);
        frame.out.writeLong(limits.idle().toMillis());
        frame.out.writeLong(limits.firstByte().toMillis());
        frame.out.writeLong(limits.write().toMillis());
        writeBytes(frame.out, proxyHeader);
        return frame.bytes();
    }

    /** A datagram to serve, with its bytes. */
    static byte[] datagram(long id, SocketAddress client, byte[] packet) throws IOException {
        Frame frame = new Frame(DATAGRAM);
        frame.out.writeLong(id);
        writeAddress(frame.out, client);
        writeBytes(frame.out, packet);
        return frame.bytes();
    }

    /** A STREAM or DATAGRAM frame as a worker reads it; {@code packet} is null for a connection, {@code limits} for a datagram. */
    record Request(long id, SocketAddress client, byte[] packet, StreamLimits limits, byte[] proxyHeader) {

        /** Reads the body of a frame of {@code type} STREAM or DATAGRAM (its type byte already read). */
        static Request read(DataInputStream frame, byte type) throws IOException {
            long id = frame.readLong();
            SocketAddress client = readAddress(frame);
            if (type == DATAGRAM) {
                return new Request(id, client, readBytes(frame), null, null);
            }
            StreamLimits limits = new StreamLimits(Duration.ofMillis(frame.readLong()), Duration.ofMillis(frame.readLong()),
                    Duration.ofMillis(frame.readLong()));
            return new Request(id, client, null, limits, readBytes(frame));
        }
    }

    /** The worker's report of a request's end. */
    static Frame done(long id, Throwable failure) throws IOException {
        Frame done = new Frame(DONE);
        done.out.writeLong(id);
        Outcome outcome = Outcome.of(failure);
        done.out.writeByte(outcome.ordinal());
        if (outcome != Outcome.OK) {
            writeFailure(done.out, failure);
        }
        return done;
    }

    /** A DONE report as the server reads it; {@code failure} is null for {@link Outcome#OK}. */
    record Done(long id, Outcome outcome, WorkerException failure) {

        /** Reads a report frame, its type byte included, from the worker with {@code pid}. */
        static Done read(DataInputStream frame, long pid) throws IOException {
            byte type = frame.readByte();
            if (type != DONE) {
                throw new IOException("unexpected report " + type);
            }
            long id = frame.readLong();
            byte code = frame.readByte();
            if (code < 0 || code >= Outcome.values().length) {
                throw new IOException("bad outcome " + code);
            }
            Outcome outcome = Outcome.values()[code];
            return new Done(id, outcome, outcome == Outcome.OK ? null : readFailure(frame, pid));
        }
    }

    // ------------------------------------------------------------------ framing and primitives

    /** Reads one frame: its type byte followed by its body; throws {@link EOFException} at a clean end. */
    static DataInputStream read(InputStream in, byte[] header) throws IOException {
        DataInputStream data = new DataInputStream(in);
        data.readFully(header, 0, 4);
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length < 1 || length > MAX_FRAME) {
            throw new IOException("bad control frame length " + length);
        }
        byte[] body = new byte[length];
        data.readFully(body);
        return new DataInputStream(new ByteArrayInputStream(body));
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    // ------------------------------------------------------------------ addresses

    static void writeAddress(DataOutputStream out, SocketAddress address) throws IOException {
        switch (address) {
            case null -> out.writeByte(0);
            // junixsocket's addresses extend InetSocketAddress: test for them first.
            case AFUNIXSocketAddress af -> {
                out.writeByte(3);
                writeBytes(out, af.getPathAsBytes());
            }
            case InetSocketAddress inet -> {
                out.writeByte(1);
                writeBytes(out, inet.getAddress().getAddress());
                out.writeInt(inet.getPort());
                out.writeInt(inet.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0);
            }
            case UnixDomainSocketAddress unix -> {
                out.writeByte(2);
                writeString(out, unix.getPath().toString());
            }
            default -> throw new IOException("cannot send an address of type " + address.getClass().getName() + " to a worker");
        }
    }

    static SocketAddress readAddress(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case 0 -> null;
            case 1 -> {
                byte[] raw = readBytes(in);
                int port = in.readInt();
                int scope = in.readInt();
                InetAddress a = raw.length == 16 && scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
                yield new InetSocketAddress(a, port);
            }
            case 2 -> UnixDomainSocketAddress.of(readString(in));
            case 3 -> AFUNIXSocketAddress.of(readBytes(in));
            default -> throw new IOException("bad address kind " + kind);
        };
    }

    // ------------------------------------------------------------------ failures

    static void writeFailure(DataOutputStream out, Throwable t) throws IOException {
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause(), depth++) {
            out.writeBoolean(true);
            writeString(out, c.getClass().getName());
            writeString(out, c.getMessage());
            StackTraceElement[] frames = c.getStackTrace();
            out.writeInt(frames.length);
            for (StackTraceElement f : frames) {
                writeString(out, f.getClassName());
                writeString(out, f.getMethodName());
                writeString(out, f.getFileName());
                out.writeInt(f.getLineNumber());
            }
        }
        out.writeBoolean(false);
    }

    /** The remote failure as a chain of {@link WorkerException}s, outermost first. */
    static WorkerException readFailure(DataInputStream in, long pid) throws IOException {
        List<String[]> heads = new ArrayList<>();
        List<StackTraceElement[]> traces = new ArrayList<>();
        while (in.readBoolean()) {
            heads.add(new String[] {readString(in), readString(in)});
            StackTraceElement[] frames = new StackTraceElement[in.readInt()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new StackTraceElement(readString(in), readString(in), readString(in), in.readInt());
            }
            traces.add(frames);
        }
        WorkerException e = null;
        for (int i = heads.size() - 1; i >= 0; i--) {
            e = new WorkerException(heads.get(i)[0], heads.get(i)[1], pid, traces.get(i), e);
        }
        return e;
    }
}
