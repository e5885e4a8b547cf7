package io.portside.sample.echo;

import java.io.IOException;

import io.portside.handler.api.StreamRequestHandler;

/**
 * Answers everything the client sends, upper-cased, until the client closes. It upper-cases bytes as they
 * arrive rather than waiting for whole lines, so a line-oriented client gets each line back upper-cased and the
 * seeds' clients, which send without a newline, get their bytes back too.
 */
final class EchoStreamHandler extends StreamRequestHandler {

    @Override
    protected void handle() throws IOException {
        byte[] chunk = new byte[DEFAULT_BUFFER_SIZE];
        int n;
        while ((n = rfile.read(chunk, 0, chunk.length)) > 0) {
            Ascii.upperInPlace(chunk, 0, n);
            wfile.write(chunk, 0, n);
        }
    }
}
