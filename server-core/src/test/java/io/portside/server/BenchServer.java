package io.portside.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.ThreadPerRequest;
import io.portside.server.concurrency.VirtualThreadPerRequest;
import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.HandlerClass;

/**
 * A line server for the neutral load generator ({@code shared/bench}): each line comes back upper-cased, with the
 * settings the harness asks of every candidate (listen backlog 1024, SO_REUSEADDR, TCP_NODELAY, daemon threads, and
 * {@code max_children} 128 for forking). Not a test; run by docs/forking.md's measurement:
 * {@code java --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp ... io.portside.server.BenchServer forking PORT [PRESTART]}.
 */
public final class BenchServer {

    private BenchServer() {
    }

    /** The line protocol: upper-case each line (ASCII), until the client closes. */
    static final class Upper extends StreamRequestHandler {
        {
            disableNagleAlgorithm = true;
        }

        @Override
        protected void handle() throws IOException {
            for (byte[] line; (line = rfile.readLine(65536)).length > 0; ) {
                for (int i = 0; i < line.length; i++) {
                    byte b = line[i];
                    if (b >= 'a' && b <= 'z') {
                        line[i] = (byte) (b - 32);
                    }
                }
                wfile.write(line);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int port = Integer.parseInt(args[1]);
        int prestart = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        ForkingModel forking = null;
        ConcurrencyModel concurrency = switch (model) {
            case "threading" -> new ThreadPerRequest(true, false);
            case "virtual" -> new VirtualThreadPerRequest(false);
            case "forking" -> forking = new ForkingModel(ForkingOptions.defaults().withMaxChildren(128).withMinIdle(prestart)
                    .withBlockOnClose(false).withWorkerWait(Duration.ofSeconds(60)).withStartupTimeout(Duration.ofSeconds(120))
                    .withExtraJvmOptions(System.getProperty("bench.worker.options", "").isBlank() ? java.util.List.of()
                            : java.util.List.of(System.getProperty("bench.worker.options").split(" "))),
                    HandlerClass.of(Upper.class));
            default -> throw new IllegalArgumentException("model: threading, virtual or forking");
        };
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", port), Upper::new, concurrency, false);
        server.setRequestQueueSize(1024);
        server.setAllowReuseAddress(true);
        server.bindAndActivate();
        if (forking != null) {
            forking.attach(server);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (forking.idleCount() < prestart && System.nanoTime() < deadline) {
                Thread.sleep(50); // serve only once the prestarted workers are up (the harness probes until then)
            }
            System.err.println("bench: " + forking.idleCount() + " workers ready");
        }
        server.serveForever(null);
    }
}
