package io.github.tokenrefresh.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} bound to an ephemeral loopback port, with its own pool of daemon threads,
 * plus the few exchange helpers both fixture servers share.
 */
final class LoopbackListener implements AutoCloseable {

    /** Room for a burst of concurrent connects, such as 64 threads starting at once. */
    private static final int BACKLOG = 256;

    /** How long close waits for handler threads, which the fixtures have already released. */
    private static final long HANDLER_SHUTDOWN_MILLIS = 2_000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUri;

    private LoopbackListener(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.baseUri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    static LoopbackListener start(String name, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind the " + name + " to a loopback port", e);
        }

        // Unbounded, because a test may hold dozens of requests at a gate at once and each held
        // request occupies a thread; a fixed pool would deadlock such a test.
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads(name));
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new LoopbackListener(server, executor);
    }

    URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(HANDLER_SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /**
     * Sends a complete response. A HEAD request gets the headers only, because the JDK server
     * refuses a body on HEAD.
     */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }

        boolean noBody = body.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        String prefix = "tokenrefresh-" + name.replace(' ', '-') + "-";
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
