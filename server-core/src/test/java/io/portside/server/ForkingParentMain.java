package io.portside.server;

import java.net.InetSocketAddress;

import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.ForkingTcpServer;
import io.portside.server.forking.HandlerClass;

/** A separate server JVM for {@link ForkingLifecycleTest}: a forking TCP server with the probe handler; prints its port. */
public final class ForkingParentMain {

    private ForkingParentMain() {
    }

    public static void main(String[] args) throws Exception {
        ForkingTcpServer server = new ForkingTcpServer(new InetSocketAddress("127.0.0.1", 0), HandlerClass.of(ForkingProbe.class),
                ForkingOptions.defaults().withMinIdle(2).withMaxChildren(4), true);
        System.out.println("PORT " + server.serverAddress().getPort());
        System.out.flush();
        server.serveForever();
    }
}
