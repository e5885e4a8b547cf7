package io.portside.server.proxy.internal;

/**
 * Decides, from the bytes of a connection read so far, whether they are a PROXY protocol header: how many more bytes
 * to read, the header, or why not. Pure logic, no I/O. It never asks for a byte past the header, so whatever the
 * client sent after it stays in the socket for the handler: version 2 is read as its 16-byte fixed part, then the
 * length that part gives; version 1 as its 15-byte minimum, then one byte at a time until CRLF (at most 107 bytes).
 * A header that cannot become valid fails as soon as the bytes show it, not after the whole header has been waited for.
 */
public final class ProxyHeaderDecoder {

    /** What to do next. */
    public sealed interface Step permits Need, Done, Failed {
    }

    /** Read up to this many more bytes (at least one), then decode again with all the bytes so far. */
    public record Need(int bytes) implements Step {
    }

    /** The bytes so far begin with this header, {@link ProxyHeader#length()} bytes long. */
    public record Done(ProxyHeader header) implements Step {
    }

    /** The bytes so far are not, and cannot become, an acceptable header. */
    public record Failed(ProxyFailure failure) implements Step {
    }

    private final ProxyMode mode;

    public ProxyHeaderDecoder(ProxyMode mode) {
        if (!mode.enabled()) {
            throw new IllegalArgumentException("no PROXY protocol header is expected with proxy.protocol=" + mode.key());
        }
        this.mode = mode;
    }

    /** Decodes the first {@code length} bytes of {@code prefix}: the connection's first bytes, in order. */
    public Step decode(byte[] prefix, int length) {
        try {
            if (length == 0) {
                // Both versions are at least this long, so the first read can never overshoot.
                return new Need(mode == ProxyMode.V2 ? V2HeaderParser.FIXED : V1LineParser.MIN);
            }
            if (V2HeaderParser.couldBe(prefix, length)) {
                return v2(prefix, length);
            }
            if (V1LineParser.couldBe(prefix, length)) {
                return v1(prefix, length);
            }
            return new Failed(ProxyFailure.WRONG_SIGNATURE);
        } catch (ProxyHeaderException e) {
            return new Failed(e.failure());
        }
    }

    private Step v2(byte[] prefix, int length) throws ProxyHeaderException {
        if (V2HeaderParser.signatureComplete(length) && !mode.accepts(2)) {
            return new Failed(ProxyFailure.VERSION_NOT_ALLOWED);
        }
        V2HeaderParser.checkFixed(prefix, length);
        if (length < V2HeaderParser.FIXED) {
            return new Need(V2HeaderParser.FIXED - length);
        }
        int total = V2HeaderParser.totalLength(prefix);
        if (length < total) {
            return new Need(total - length);
        }
        return new Done(V2HeaderParser.parse(prefix, total));
    }

    private Step v1(byte[] prefix, int length) throws ProxyHeaderException {
        if (V1LineParser.signatureComplete(length) && !mode.accepts(1)) {
            return new Failed(ProxyFailure.VERSION_NOT_ALLOWED);
        }
        int line = V1LineParser.lineLength(prefix, length);
        if (line < 0) {
            return new Need(length < V1LineParser.MIN ? V1LineParser.MIN - length : 1);
        }
        return new Done(V1LineParser.parse(prefix, line));
    }
}
