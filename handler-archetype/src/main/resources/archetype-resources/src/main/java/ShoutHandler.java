package ${package};

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.portside.handler.api.StreamRequestHandler;

/**
 * Answers every line the client sends upper-cased, until the client closes. The host makes a fresh instance
 * for each connection and calls setup, handle and finish (always), as Python's StreamRequestHandler.
 */
final class ShoutHandler extends StreamRequestHandler {

    /** The longest line read at once; a longer one is answered in pieces. */
    static final int MAX_LINE = 64 * 1024;

    /** System.Logger needs no dependency; the host prints it with its own lines (FINE: -Dportside.log.level=FINE). */
    private static final System.Logger LOG = System.getLogger("${package}");

    @Override
    protected void handle() throws IOException {
        LOG.log(Level.DEBUG, "serving {0}", clientAddress);
        // readLine returns a fresh array per line, and an empty one at end of stream.
        for (byte[] line; (line = rfile.readLine(MAX_LINE)).length > 0; ) {
            String text = new String(line, StandardCharsets.UTF_8);
            wfile.write(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        }
    }
}
