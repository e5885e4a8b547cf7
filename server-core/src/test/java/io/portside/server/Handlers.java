package io.portside.server;

import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.StreamRequestHandler;

/** The handlers of CPython's test suite. */
final class Handlers {

    private Handlers() {
    }

    /** CPython's stream echo: read one line, write it back. */
    static final class LineEcho extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            wfile.write(rfile.readLine());
        }
    }

    /** CPython's datagram echo: the reply is the datagram itself. */
    static final class DatagramEcho extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            rfile.transferTo(wfile);
        }
    }

    /** A stream handler that does nothing, for servers whose finishRequest is overridden. */
    static final class LineEchoCounting extends StreamRequestHandler {
    }
}
