package io.portside.server.host.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.StreamTimeout;
import io.portside.server.internal.ThrottledLine;
import io.portside.server.metrics.internal.Refusal;
import io.portside.server.proxy.internal.ProxyHeader;
import io.portside.server.proxy.internal.ProxyHeaderException;
import io.portside.server.proxy.internal.ProxyHeaderReader;

/**
 * The PROXY header stage, on the connection's own thread before TLS and the policies: reads the header a trusted proxy
 * sends ({@code proxy.protocol}) within {@code proxy.timeout} and the listener's limits, never a byte past it, and
 * makes the client it names the connection's client address everywhere after. A connection whose header is missing,
 * malformed or late is closed, counted as rejected (reason {@code proxy_header}) and logged (a few lines per 10 s).
 */
final class ProxyHeaderStage {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private final ThrottledLine line = new ThrottledLine(5);

    ProxyHeaderStage(Supplier<ListenerSpec> spec, ListenerCounters counters) {
        this.spec = spec;
        this.counters = counters;
    }

    /** True when the listener takes PROXY headers and {@code c} is a connection (datagrams carry none). */
    boolean applies(Connection c) {
        return c.stream() && spec.get().proxy().enabled();
    }

    /** True to go on: no header expected, or one read; false (counted, logged) when the connection must end. */
    boolean read(Connection c) {
        ListenerProxyConfig proxy = spec.get().proxy();
        if (!proxy.enabled() || !(c.acceptedRequest() instanceof ChannelStreamRequest raw)) {
            return true;
        }
        ProxyHeader header;
        RecordingInput recorded = new RecordingInput(raw.inputStream());
        raw.deadline(StreamTimeout.PROXY_HEADER, proxy.timeout());
        try {
            header = ProxyHeaderReader.read(recorded, proxy.mode());
        } catch (ProxyHeaderException e) {
            return failed(c, e.failure().text());
        } catch (IOException e) {
            StreamTimeout limit = raw.timedOut();
            return failed(c, limit != null ? "not complete within " + raw.timedOutAfter() + " (" + limit.key() + ")"
                    : "the proxy closed the connection before the header was complete");
        } finally {
            raw.clearDeadline();
        }
        raw.proxy(header, recorded.bytes());
        raw.restartFirstByte(); // a proxy sends its header at once; first.byte.timeout is about the client behind it
        if (header.hasAddresses()) { // a LOCAL header (a health check) is served as the proxy itself
            c.proxiedFrom(header.clientAddress(c.peerAddress()));
        }
        return true;
    }

    private boolean failed(Connection c, String why) {
        counters.onRefused(Refusal.PROXY_HEADER);
        if (line.due(System.nanoTime())) {
            LOG.log(Level.INFO, "Listener {0}: closed the connection from {1}: bad PROXY protocol header: {2}{3}", spec.get().name(),
                    c.peerAddress(), why, line.leftOut("bad PROXY headers"));
        }
        return false;
    }

    /** The bytes read through it, kept: the header as it came, for a worker process to parse again. */
    private static final class RecordingInput extends FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream(64);

        RecordingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                seen.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                seen.write(b, off, n);
            }
            return n;
        }

        byte[] bytes() {
            return seen.toByteArray();
        }
    }
}
