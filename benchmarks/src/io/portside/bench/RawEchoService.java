package io.portside.bench;

import java.io.IOException;

import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;

/**
 * The harness's "raw" protocol (used by {@code bulk}): bytes echoed unchanged. The echo sample upper-cases, which
 * the bulk check rejects, so this is the sample's stream handler without the upper-casing, with a 64 KiB chunk
 * (CPython's peer reads 64 KiB, too). Registered as handler {@code raw-echo} by {@code OSGI-INF/*.xml}.
 */
public final class RawEchoService implements StreamHandlerFactory {

    @Override
    public StreamRequestHandler newHandler() {
        return new Handler();
    }

    static final class Handler extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            byte[] chunk = new byte[65536];
            int n;
            while ((n = rfile.read(chunk, 0, chunk.length)) > 0) {
                wfile.write(chunk, 0, n);
            }
        }
    }
}
