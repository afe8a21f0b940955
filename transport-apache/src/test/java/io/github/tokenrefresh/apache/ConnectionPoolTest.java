package io.github.tokenrefresh.apache;

import com.sun.net.httpserver.HttpExchange;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small pool and a flood of rejections: every call's first send is answered 401 with a body, so every call
 * drains a 401, has the token refreshed and replays. A 401 that kept its connection would exhaust a pool of two
 * within three calls; the short lease timeout turns such a leak into a failure instead of a hang.
 */
class ConnectionPoolTest {

    private static final int CALLS = 500;
    private static final int MAX_PER_ROUTE = 2;
    private static final Timeout LEASE_TIMEOUT = Timeout.ofSeconds(5);
    private static final String REJECTION_BODY = "{\"message\":\"" + "x".repeat(2048) + "\"}";

    private final LoopbackApi world = LoopbackApi.start();
    private final Set<String> rejectedCalls = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final TokenRefreshPolicy policy = world.policy(world.config()
            // Every call refreshes on purpose; the loop guard would rightly stop that in production.
            .loopGuard(10 * CALLS, Duration.ofSeconds(30))
            .build());

    ConnectionPoolTest() {
        world.api.route("/once", this::rejectFirstSendOfEachCall);
    }

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        world.close();
    }

    /** The first send of each call is rejected whatever its token; a replay with a valid token gets a 200. */
    private void rejectFirstSendOfEachCall(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String call = exchange.getRequestHeaders().getFirst("X-Call");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization == null ? "" : authorization.substring("Bearer ".length());
        boolean accepted = !rejectedCalls.add(call) && world.tokens.isValid(token);
        byte[] body = (accepted ? "{\"ok\":true}" : REJECTION_BODY).getBytes(StandardCharsets.UTF_8);
        if (!accepted) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(accepted ? 200 : 401, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    @DisplayName("500 classic calls, each rejected once, through a pool of 2: all succeed and nothing stays leased")
    void shouldReleaseEveryRejectedConnectionForClassicCalls() throws Exception {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(MAX_PER_ROUTE).setMaxConnTotal(2 * MAX_PER_ROUTE).build();
        CloseableHttpClient client = world.closeLater(TokenRefreshExecChainHandler.install(HttpClients.custom(),
                        policy)
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(LEASE_TIMEOUT).build())
                .build());

        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String call = "classic-" + i;
            calls.add(threads.submit(() -> {
                HttpPost post = new HttpPost(world.api.uri("/once"));
                post.addHeader("X-Call", call);
                post.setEntity(new StringEntity(call, ContentType.TEXT_PLAIN));
                return client.execute(post, response -> response.getCode() + " " + EntityUtils.toString(
                        response.getEntity()));
            }));
        }

        for (Future<String> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("200 {\"ok\":true}");
        }
        assertEveryCallRejectedOnceThenAccepted();
        assertPoolIdle(pool.getTotalStats());
        pool.close(CloseMode.IMMEDIATE);
    }

    @Test
    @DisplayName("500 async calls, each rejected once, through a pool of 2: all succeed and nothing stays leased")
    void shouldReleaseEveryRejectedConnectionForAsyncCalls() throws Exception {
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(MAX_PER_ROUTE).setMaxConnTotal(2 * MAX_PER_ROUTE).build();
        CloseableHttpAsyncClient client = world.closeLater(TokenRefreshAsyncExecChainHandler.install(
                        HttpAsyncClients.custom(), policy)
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(LEASE_TIMEOUT).build())
                .build());
        client.start();

        // As many calls in flight as the classic test has threads, so a lease waits behind a few calls, not 500.
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<SimpleHttpResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String call = "async-" + i;
            assertThat(inFlight.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<SimpleHttpResponse> done = new CompletableFuture<>();
            done.whenComplete((response, failure) -> inFlight.release());
            client.execute(SimpleRequestBuilder.post(world.api.uri("/once"))
                    .addHeader("X-Call", call)
                    .setBody(call, ContentType.TEXT_PLAIN)
                    .build(), new CompletingCallback(done));
            calls.add(done);
        }

        for (CompletableFuture<SimpleHttpResponse> call : calls) {
            SimpleHttpResponse response = call.get(30, TimeUnit.SECONDS);
            assertThat(response.getCode()).isEqualTo(200);
            assertThat(response.getBodyText()).isEqualTo("{\"ok\":true}");
        }
        assertEveryCallRejectedOnceThenAccepted();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertPoolIdle(pool.getTotalStats()));
        pool.close(CloseMode.IMMEDIATE);
    }

    /** Hands an async call's outcome to a future. */
    private static final class CompletingCallback implements FutureCallback<SimpleHttpResponse> {

        private final CompletableFuture<SimpleHttpResponse> future;

        CompletingCallback(CompletableFuture<SimpleHttpResponse> future) {
            this.future = future;
        }

        @Override
        public void completed(SimpleHttpResponse response) {
            future.complete(response);
        }

        @Override
        public void failed(Exception cause) {
            future.completeExceptionally(cause);
        }

        @Override
        public void cancelled() {
            future.cancel(false);
        }
    }

    private void assertEveryCallRejectedOnceThenAccepted() {
        List<RecordedRequest> requests = world.api.requests("/once");
        assertThat(requests).hasSize(2 * CALLS);
        assertThat(world.api.responseCount(401)).isEqualTo(CALLS);
        assertThat(world.api.okCount()).isEqualTo(CALLS);
        assertThat(requests).allSatisfy(seen -> assertThat(seen.bodyAsString()).isEqualTo(seen.header("X-Call")));
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(CALLS);
        assertThat(world.tokens.reuseDetections()).isZero();
    }

    private static void assertPoolIdle(PoolStats stats) {
        assertThat(stats.getLeased()).as("leased connections").isZero();
        assertThat(stats.getPending()).as("pending lease requests").isZero();
        assertThat(stats.getAvailable()).as("idle connections").isBetween(1, MAX_PER_ROUTE);
    }
}
