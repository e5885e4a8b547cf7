package com.example.shout;

import java.net.InetSocketAddress;

import io.portside.server.ThreadingTcpServer;
import io.portside.server.forking.ForkingTcpServer;

/** The README's plain-Java lines, compiled: the handler on the class path, without OSGi. */
final class PlainJava {

    private PlainJava() {
    }

    static void threading() throws Exception {
        try (var server = new ThreadingTcpServer(new InetSocketAddress("127.0.0.1", 9999), ShoutService.ShoutHandler::new)) {
            server.serveForever();
        }
    }

    static void forking() throws Exception {
        try (var server = new ForkingTcpServer(new InetSocketAddress("127.0.0.1", 9999), ShoutService.ShoutHandler.class)) {
            server.serveForever();
        }
    }
}
