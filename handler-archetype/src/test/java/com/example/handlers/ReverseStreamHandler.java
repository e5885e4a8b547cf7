package com.example.handlers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import io.portside.handler.api.StreamRequestHandler;

/** Answers each line reversed, until the client closes. One instance per connection. */
final class ReverseStreamHandler extends StreamRequestHandler {

    private static final System.Logger LOG = System.getLogger("com.example.handlers");

    @Override
    protected void handle() throws IOException {
        LOG.log(Level.DEBUG, "serving {0}", clientAddress);
        for (byte[] line; (line = rfile.readLine(64 * 1024)).length > 0; ) {
            String text = new String(line, StandardCharsets.UTF_8).strip();
            if (text.equals("quit")) {
                LOG.log(Level.INFO, "{0} said quit", clientAddress);
                return; // finish() flushes wfile; the host then closes the connection
            }
            wfile.write((new StringBuilder(text).reverse() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
