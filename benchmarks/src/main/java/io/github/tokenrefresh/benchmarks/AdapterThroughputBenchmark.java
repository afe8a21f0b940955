package io.github.tokenrefresh.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.apache.TokenRefreshAsyncExecChainHandler;
import io.github.tokenrefresh.apache.TokenRefreshExecChainHandler;
import io.github.tokenrefresh.jdk.TokenRefreshHttpClient;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Requests per second over loopback through each HTTP adapter against the same client without it: the JDK
 * {@link HttpClient} and {@link TokenRefreshHttpClient}, Apache's classic client with and without
 * {@link TokenRefreshExecChainHandler}, and its async client with and without
 * {@link TokenRefreshAsyncExecChainHandler}. The token is fresh for the whole run, so the difference is what the
 * adapter costs on an ordinary request: attaching the header, checking the origin, watching for a 401.
 *
 * <p>The server is a JDK {@code HttpServer} in the same JVM that answers every request with a two-byte 200, so client
 * and server share the machine's cores: read the figures as the relative cost of each adapter, not as what a real
 * network allows. Each client keeps as many pooled HTTP/1.1 connections as there are benchmark threads.
 *
 * <p>The forks turn on {@code TCP_NODELAY} in the JDK server: it writes the response head and body separately, and
 * with Nagle's algorithm on, the body waits for the client's delayed ACK, which caps every client near 25 requests
 * per second and hides all differences. The long warmup is what the JIT needs on a two-core machine, where client
 * and server compile at the same time, before the rate stops climbing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@Threads(AdapterThroughputBenchmark.THREADS)
public class AdapterThroughputBenchmark {

    /** Concurrent callers: enough to keep connections busy on a small machine without drowning it. */
    static final int THREADS = 4;

    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private ExecutorService serverThreads;
    private TokenRefreshPolicy policy;

    private HttpRequest jdkRequest;
    private HttpClient bareJdk;
    private HttpClient tokenJdk;

    private URI uri;
    private CloseableHttpClient bareClassic;
    private CloseableHttpClient tokenClassic;
    private CloseableHttpAsyncClient bareAsync;
    private CloseableHttpAsyncClient tokenAsync;

    /** Starts the server, the policy with a fresh token, and the six clients. */
    @Setup
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        serverThreads = Executors.newFixedThreadPool(THREADS);
        server.setExecutor(serverThreads);
        server.createContext("/", AdapterThroughputBenchmark::answerOk);
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders/1");

        TokenRefreshConfig config = TokenRefreshConfig.custom().allowedOrigin(uri).build();
        policy = TokenRefreshPolicy.of("throughput", config, new InstantGrant());
        policy.acquireToken();

        jdkRequest = HttpRequest.newBuilder(uri).GET().build();
        bareJdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        tokenJdk = TokenRefreshHttpClient.decorate(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), policy);

        bareClassic = classicBuilder().build();
        tokenClassic = TokenRefreshExecChainHandler.install(classicBuilder(), policy).build();

        bareAsync = asyncBuilder().build();
        tokenAsync = TokenRefreshAsyncExecChainHandler.install(asyncBuilder(), policy).build();
        bareAsync.start();
        tokenAsync.start();
    }

    /** Closes the clients, the policy and the server. */
    @TearDown
    public void stop() throws IOException {
        bareClassic.close();
        tokenClassic.close();
        bareAsync.close(CloseMode.GRACEFUL);
        tokenAsync.close(CloseMode.GRACEFUL);
        policy.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /**
     * The plain JDK client.
     *
     * @return the status
     * @throws Exception if the request failed
     */
    @Benchmark
    public int jdkBare() throws Exception {
        return bareJdk.send(jdkRequest, BodyHandlers.discarding()).statusCode();
    }

    /**
     * The JDK client decorated by {@link TokenRefreshHttpClient}.
     *
     * @return the status
     * @throws Exception if the request failed
     */
    @Benchmark
    public int jdkWithTokenRefresh() throws Exception {
        return tokenJdk.send(jdkRequest, BodyHandlers.discarding()).statusCode();
    }

    /**
     * Apache's plain classic client.
     *
     * @return the status
     * @throws IOException if the request failed
     */
    @Benchmark
    public int apacheClassicBare() throws IOException {
        return classicGet(bareClassic);
    }

    /**
     * Apache's classic client with {@link TokenRefreshExecChainHandler}.
     *
     * @return the status
     * @throws IOException if the request failed
     */
    @Benchmark
    public int apacheClassicWithTokenRefresh() throws IOException {
        return classicGet(tokenClassic);
    }

    /**
     * Apache's plain async client; the thread waits for each response.
     *
     * @return the status
     * @throws Exception if the request failed
     */
    @Benchmark
    public int apacheAsyncBare() throws Exception {
        return asyncGet(bareAsync);
    }

    /**
     * Apache's async client with {@link TokenRefreshAsyncExecChainHandler}; the thread waits for each response.
     *
     * @return the status
     * @throws Exception if the request failed
     */
    @Benchmark
    public int apacheAsyncWithTokenRefresh() throws Exception {
        return asyncGet(tokenAsync);
    }

    private int classicGet(CloseableHttpClient client) throws IOException {
        return client.execute(new HttpGet(uri), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private int asyncGet(CloseableHttpAsyncClient client) throws InterruptedException, ExecutionException {
        SimpleHttpRequest request = SimpleRequestBuilder.get(uri).build();
        return client.execute(request, null).get().getCode();
    }

    // Both variants of a client get the same pool, so the handler is the only difference between them.
    private static HttpClientBuilder classicBuilder() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(THREADS)
                        .setMaxConnTotal(THREADS)
                        .build());
    }

    private static HttpAsyncClientBuilder asyncBuilder() {
        return HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(THREADS)
                        .setMaxConnTotal(THREADS)
                        .build());
    }

    private static void answerOk(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
        }
    }
}
