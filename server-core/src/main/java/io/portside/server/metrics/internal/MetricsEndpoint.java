package io.portside.server.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} over the JDK's HTTP server, in the text format the scraper asks for (OpenMetrics when its
 * {@code Accept} names it, else Prometheus text 0.0.4), written by client_java's writers. Bounded: {@link #THREADS}
 * threads and a queue of {@link #QUEUE} scrapes; beyond that the server's own dispatcher thread answers (so it reads no
 * new requests meanwhile), and a flood of scrapes costs the host no more than those few threads.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final int THREADS = 2;
    static final int QUEUE = 8;
    private static final System.Logger LOG = System.getLogger("io.portside.metrics");

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    private MetricsEndpoint(HttpServer server, ThreadPoolExecutor executor, PrometheusRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /**
     * Binds and serves; null (one log line) when the address cannot be bound: the host runs on without the endpoint.
     */
    static MetricsEndpoint open(InetSocketAddress address, PrometheusRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            LOG.log(Level.WARNING, "Metrics endpoint not served: cannot bind {0}: {1} (io.portside.metrics.cfg: endpoint)",
                    describe(address), e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Metrics endpoint not served: {0}: {1}", describe(address), String.valueOf(e));
            return null;
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "portside-metrics");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, registry);
        server.setExecutor(executor);
        server.createContext("/metrics", endpoint::handle);
        server.start();
        LOG.log(Level.INFO, "Metrics: serving http://{0}/metrics", describe(server.getAddress()));
        return endpoint;
    }

    /** The address bound (its port, when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExpositionFormatWriter writer = writerFor(exchange.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
            writer.write(body, registry.scrape());
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.size());
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    body.writeTo(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Metrics: a scrape failed: {0}", String.valueOf(e));
        }
    }

    /** OpenMetrics when asked for, else Prometheus text; never the protobuf format, whose library is not embedded. */
    private ExpositionFormatWriter writerFor(String accept) {
        ExpositionFormatWriter openMetrics = formats.getOpenMetricsTextFormatWriter();
        return accept != null && openMetrics.accepts(accept) ? openMetrics : formats.getPrometheusTextFormatWriter();
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
