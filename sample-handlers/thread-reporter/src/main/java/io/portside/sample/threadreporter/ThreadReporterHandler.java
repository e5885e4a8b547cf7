package io.portside.sample.threadreporter;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.portside.handler.api.StreamRequestHandler;

/**
 * Seed 002's asynchronous example: reads one request of up to 1024 bytes (one {@code recv(1024)}) and answers
 * {@code <thread name>: <the data>}, then returns, and the server closes the connection. The thread name tells which
 * concurrency model ran the request.
 */
final class ThreadReporterHandler extends StreamRequestHandler {

    /** Python's {@code recv(1024)}. */
    static final int MAX_REQUEST = 1024;

    private static final System.Logger LOG = System.getLogger("io.portside.sample.threadreporter");

    {
        // A silent client would otherwise hold its thread for ever; under 'sync' it would stall the whole listener.
        timeout = Duration.ofSeconds(10);
    }

    @Override
    protected void handle() throws IOException {
        byte[] data = new byte[MAX_REQUEST];
        int n;
        try {
            n = Math.max(0, rfile.read(data, 0, data.length));
        } catch (SocketTimeoutException e) {
            LOG.log(Level.DEBUG, "thread-reporter: {0} sent nothing within {1}", clientAddress, timeout);
            return;
        }
        byte[] prefix = (Thread.currentThread().getName() + ": ").getBytes(StandardCharsets.UTF_8);
        byte[] reply = new byte[prefix.length + n];
        System.arraycopy(prefix, 0, reply, 0, prefix.length);
        System.arraycopy(data, 0, reply, prefix.length, n);
        wfile.write(reply);
    }
}
