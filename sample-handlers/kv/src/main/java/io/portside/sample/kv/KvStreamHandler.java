package io.portside.sample.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.portside.handler.api.StreamRequestHandler;

/** One connection: a command a line, a reply a line, until the client closes. */
final class KvStreamHandler extends StreamRequestHandler {

    /** The longest line taken: a SET with the longest key and value, and room to tell "too long" from "just fit". */
    static final int MAX_LINE_BYTES = "SET ".length() + KvStore.MAX_KEY_BYTES + 1 + KvStore.MAX_VALUE_BYTES + 2;

    private final KvProtocol protocol;

    KvStreamHandler(KvStore store) {
        this.protocol = new KvProtocol(store);
    }

    @Override
    protected void handle() throws IOException {
        for (byte[] line; (line = rfile.readLine(MAX_LINE_BYTES)).length > 0; ) {
            String reply;
            if (line[line.length - 1] != '\n' && line.length == MAX_LINE_BYTES) {
                skipRestOfLine();
                reply = KvProtocol.err("line too long");
            } else {
                reply = protocol.reply(stripLineEnd(line));
            }
            wfile.write((reply + "\n").getBytes(StandardCharsets.UTF_8)); // wfile is unbuffered: one write a reply
        }
    }

    private void skipRestOfLine() throws IOException {
        for (byte[] more; (more = rfile.readLine(MAX_LINE_BYTES)).length > 0; ) {
            if (more[more.length - 1] == '\n') {
                return;
            }
        }
    }

    private static String stripLineEnd(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }
}
