package io.portside.server.forking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

import java.time.Duration;

import io.portside.server.internal.StreamLimits;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.Transport;
import io.portside.server.forking.WorkerException;

/** The control protocol: every message reads back as it was written, on the side that reads it. */
class WireTest {

    private static final long PID = 4242;

    @Test
    void connectionFramesCarryIdClientTimeLimitsAndTheProxyHeader() throws IOException {
        StreamLimits limits = new StreamLimits(Duration.ofSeconds(300), Duration.ofMillis(1500), Duration.ZERO);
        for (SocketAddress client : List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5555),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 6666), UnixDomainSocketAddress.of("/tmp/client.sock"))) {
            byte[] header = "PROXY TCP4 192.0.2.7 192.0.2.1 5555 80\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            DataInputStream frame = frame(Wire.stream(17, client, limits, header));
            assertEquals(Wire.STREAM, frame.readByte());
            Wire.Request request = Wire.Request.read(frame, Wire.STREAM);
            assertEquals(17, request.id());
            assertEquals(client, request.client());
            assertNull(request.packet());
            assertEquals(limits, request.limits());
            assertArrayEquals(header, request.proxyHeader());
        }
    }

    @Test
    void datagramFramesCarryThePacketAndAnUnboundClient() throws IOException {
        DataInputStream frame = frame(Wire.datagram(9, null, new byte[] {1, 2, 3}));
        assertEquals(Wire.DATAGRAM, frame.readByte());
        Wire.Request request = Wire.Request.read(frame, Wire.DATAGRAM);
        assertEquals(9, request.id());
        assertNull(request.client());
        assertArrayEquals(new byte[] {1, 2, 3}, request.packet());
    }

    @Test
    void initTellsTheServerAndTheHandler() throws IOException {
        Wire.Init sent = new Wire.Init(Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9999), StandardProtocolFamily.INET,
                "com.example.Echo", List.of(Path.of("/opt/handler.jar").toAbsolutePath()));
        assertEquals(sent, Wire.Init.read(frame(sent.encode())));
    }

    @Test
    void helloMustCarryTheTokenAndPid() throws IOException {
        assertTrue(Wire.isHello(frame(Wire.hello(123, PID).bytes()), 123, PID));
        assertFalse(Wire.isHello(frame(Wire.hello(124, PID).bytes()), 123, PID));
        assertFalse(Wire.isHello(frame(Wire.hello(123, PID + 1).bytes()), 123, PID));
    }

    @Test
    void doneReportsTheOutcomeAndTheFailureChain() throws IOException {
        Wire.Done ok = Wire.Done.read(frame(Wire.done(1, null).bytes()), PID);
        assertEquals(new Wire.Done(1, Wire.Outcome.OK, null), ok);

        Wire.Done raised = Wire.Done.read(frame(Wire.done(2, new IllegalStateException("outer", new IOException("inner"))).bytes()), PID);
        assertEquals(2, raised.id());
        assertEquals(Wire.Outcome.EXCEPTION, raised.outcome());
        WorkerException failure = raised.failure();
        assertEquals(IllegalStateException.class.getName(), failure.exceptionClass());
        assertTrue(failure.getMessage().contains("outer"), failure.getMessage());
        assertEquals(IOException.class.getName(), ((WorkerException) failure.getCause()).exceptionClass());

        assertEquals(Wire.Outcome.EXIT, Wire.Done.read(frame(Wire.done(3, new StackOverflowError()).bytes()), PID).outcome());
    }

    @Test
    void onlyDoneIsAReport() {
        IOException e = assertThrows(IOException.class, () -> Wire.Done.read(frame(new Wire.Frame(Wire.READY).bytes()), PID));
        assertEquals("unexpected report " + Wire.READY, e.getMessage());
    }

    @Test
    void initFailedCarriesTheReason() throws IOException {
        DataInputStream frame = frame(Wire.initFailed("java.lang.ClassNotFoundException: x").bytes());
        assertEquals(Wire.INIT_FAILED, frame.readByte());
        assertEquals("java.lang.ClassNotFoundException: x", Wire.readString(frame));
    }

    @Test
    void framesEndCleanlyOrNotAtAll() {
        assertThrows(EOFException.class, () -> Wire.read(new ByteArrayInputStream(new byte[0]), new byte[4]));
        assertThrows(IOException.class, () -> Wire.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 0}), new byte[4]));
        assertThrows(IOException.class, () -> Wire.read(new ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0}), new byte[4]));
    }

    private static DataInputStream frame(byte[] bytes) throws IOException {
        return Wire.read(new ByteArrayInputStream(bytes), new byte[4]);
    }
}
