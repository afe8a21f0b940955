package io.github.tokenrefresh.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link PrometheusMeterRegistry}'s scrape at {@code http://127.0.0.1:PORT/metrics}, for a Prometheus
 * server that feeds the Grafana dashboard shipped with {@code tokenrefresh-metrics}. It listens on the loopback
 * interface only; every other path is answered 404.
 *
 * <p>Thread-safe. Close it to free the port.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    /** The path Prometheus scrapes by default. */
    public static final String PATH = "/metrics";

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService thread;

    private PrometheusEndpoint(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Starts serving {@code registry} on a loopback port.
     *
     * @param registry the registry to scrape
     * @param port the port, 0 for any free one
     * @return the running endpoint
     * @throws UncheckedIOException if the port cannot be bound, for example because it is taken
     */
    public static PrometheusEndpoint start(PrometheusMeterRegistry registry, int port) {
        Objects.requireNonNull(registry, "registry must not be null");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serve Prometheus metrics on 127.0.0.1:" + port
                    + "; is the port taken? choose another with --prometheus", e);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "demo-prometheus-endpoint");
            daemon.setDaemon(true);
            return daemon;
        });
        server.setExecutor(thread);
        server.createContext("/", exchange -> answer(exchange, registry));
        server.start();
        return new PrometheusEndpoint(server, thread);
    }

    /**
     * Returns the scrape URL.
     *
     * @return such as {@code http://127.0.0.1:9400/metrics}
     */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }

    private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            boolean scrape = exchange.getRequestURI().getPath().equals(PATH)
                    && exchange.getRequestMethod().equals("GET");
            byte[] body = (scrape ? registry.scrape() : "not found; scrape " + PATH + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", scrape ? CONTENT_TYPE : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(scrape ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
