package io.portside.sample.echo;

import java.io.IOException;

import io.portside.handler.api.StreamRequestHandler;

/**
 * Answers everything the client sends, upper-cased, until the client closes. It upper-cases bytes as they
 * arrive rather than waiting for whole lines, so a line-oriented client gets each line back upper-cased and the
 * seeds' clients, which send without a newline, get their bytes back too.
 *
 * <p>It loops on {@code rfile.read1} rather than on a chunk of its own: a connection waiting for its next line
 * then holds only rfile's buffer, which stays small while the lines are short.
 */
final class EchoStreamHandler extends StreamRequestHandler {

    @Override
    protected void handle() throws IOException {
        for (byte[] data; (data = rfile.read1(DEFAULT_BUFFER_SIZE)).length > 0; ) {
            Ascii.upperInPlace(data, 0, data.length);
            wfile.write(data);
        }
    }
}
