package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 64 callers at a time through several token expiries, over real HTTP. The token server holds each refresh until
 * every caller has joined it, so the counts are exact: one token request per expiry, whatever the interleaving.
 * The clock is shared by the servers and the policy and moved by hand; no test sleeps.
 */
@Timeout(60)
class ConcurrentRefreshTest {

    private static final int CALLERS = 64;
    private static final int EXPIRIES = 3;
    private static final Duration LIFETIME = LoopbackTokenServer.DEFAULT_ACCESS_TOKEN_LIFETIME;

    /** Stale and expiry thresholds that coincide, so one move of the clock makes the token expire. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final LoopbackApi fixture = new LoopbackApi();
    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        fixture.close();
    }

    @Test
    @DisplayName("64 blocking callers, 3 server-side expiries: one refresh per expiry, no caller sees a 401")
    void shouldRefreshOncePerExpiryForBlockingCallers() throws Exception {
        TokenRefreshPolicy policy = fixture.policy(fixture.config().scheduler(fixture.lateTimers).build());
        HttpClient client = fixture.client(policy);
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();
        CyclicBarrier start = new CyclicBarrier(CALLERS);

        for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
            int round = expiry;
            List<Future<HttpResponse<String>>> calls = expireThenCall(policy, round, () -> {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    int caller = i;
                    futures.add(threads.submit(() -> {
                        start.await();
                        return client.send(fixture.get("/orders/" + round + "/" + caller), handler);
                    }));
                }
                return futures;
            });

            for (Future<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            assertRound(policy, handler, round);
        }
    }

    @Test
    @DisplayName("64 asynchronous callers, 3 server-side expiries: one refresh per expiry, no caller sees a 401")
    void shouldRefreshOncePerExpiryForAsynchronousCallers() throws Exception {
        TokenRefreshPolicy policy = fixture.policy(fixture.config().scheduler(fixture.lateTimers).build());
        HttpClient client = fixture.client(policy);
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
            int round = expiry;
            List<CompletableFuture<HttpResponse<String>>> calls = expireThenCall(policy, round, () -> {
                List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
                for (int caller = 0; caller < CALLERS; caller++) {
                    futures.add(client.sendAsync(fixture.get("/orders/" + round + "/" + caller), handler));
                }
                return futures;
            });

            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            assertRound(policy, handler, round);
        }
    }

    @Test
    @DisplayName("64 callers that find the token expired by the policy's own timer wait for its one refresh")
    void shouldLetCallersWaitForTheOneRefreshOfAnExpiredToken() throws Exception {
        TokenRefreshPolicy policy = fixture.policy(fixture.config()
                .staleThreshold(MARGIN, 0.1)
                .expiryThreshold(MARGIN, 0.1)
                .build());
        HttpClient client = fixture.client(policy);
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
            int round = expiry;
            fixture.tokens.holdResponses();
            // The stale timer starts the refresh, the expiry timer due at the same instant makes callers wait.
            fixture.clock.advance(LIFETIME.minus(MARGIN));
            assertThat(fixture.tokens.awaitHeldResponses(1, Duration.ofSeconds(10))).isTrue();
            assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.EXPIRED);

            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                calls.add(caller % 2 == 0
                        ? client.sendAsync(fixture.get("/expired/" + round), handler)
                        : CompletableFuture.supplyAsync(() -> sendQuietly(client, "/expired/" + round, handler),
                                threads));
            }
            long coalesced = round * (long) CALLERS;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> policy.getMetrics().getNumberOfCoalescedCallers() == coalesced);
            fixture.tokens.releaseResponses();

            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            assertThat(fixture.tokens.requestCount()).isEqualTo(round);
            assertThat(fixture.api.unauthorizedCount()).isZero();
        }
        assertThat(handler.statuses).hasSize(EXPIRIES * CALLERS).containsOnly(200);
        assertThat(fixture.tokens.reuseDetections()).isZero();
    }

    private HttpResponse<String> sendQuietly(HttpClient client, String path, LoopbackApi.RecordingHandler handler) {
        try {
            return client.send(fixture.get(path), handler);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Expires the current token at the servers, lets the callers loose while the token server holds the refresh,
     * waits until every caller got its 401 and joined that one refresh, then lets it through.
     */
    private <F> List<F> expireThenCall(TokenRefreshPolicy policy, int round, Supplier<List<F>> callers)
            throws InterruptedException {
        fixture.tokens.holdResponses();
        fixture.clock.advance(LIFETIME);

        List<F> calls = callers.get();

        assertThat(fixture.tokens.awaitHeldResponses(1, Duration.ofSeconds(10))).isTrue();
        long joiners = round * (long) (CALLERS - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.api.unauthorizedCount() == round * CALLERS
                && policy.getMetrics().getNumberOfCoalescedCallers() == joiners);
        fixture.tokens.releaseResponses();
        return calls;
    }

    private void assertRound(TokenRefreshPolicy policy, LoopbackApi.RecordingHandler handler, int round) {
        assertThat(fixture.tokens.requestCount()).isEqualTo(round);
        assertThat(fixture.tokens.tokenRequests()).extracting(TokenRequest::grantType).containsOnly("refresh_token");
        assertThat(fixture.tokens.tokenRequests()).extracting(TokenRequest::refreshTokenGeneration)
                .containsExactlyElementsOf(generations(round));
        assertThat(fixture.tokens.reuseDetections()).isZero();
        assertThat(fixture.api.unauthorizedCount()).isEqualTo(round * CALLERS);
        assertThat(fixture.api.okCount()).isEqualTo(round * CALLERS);
        assertThat(handler.statuses).hasSize(round * CALLERS).containsOnly(200);
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(round * (long) CALLERS);
    }

    private static List<Integer> generations(int rounds) {
        List<Integer> generations = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            generations.add(i);
        }
        return generations;
    }
}
