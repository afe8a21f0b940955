package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many callers meet a token expiry at once, over real HTTP. Time is manual and shared by the token server, the
 * resource server and the policy: moving it by a token's lifetime fires the policy's expiry, the token server holds
 * the one refresh at its gate until every caller is waiting for it, and then lets it through.
 */
class ExpiryConcurrencyTest {

    private static final int CALLERS = 64;
    private static final int EXPIRIES = 3;
    private static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final LoopbackApi world = LoopbackApi.start(clock);
    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        world.close();
        scheduler.shutdownNow();
    }

    /**
     * A policy whose token turns stale and expired at the same moment, six seconds before the server expires it,
     * so that moving the clock by a lifetime starts exactly one refresh and makes every later caller wait for it.
     * The refresh timeout is long enough that no timer gives up on the held refresh while the clock moves.
     */
    private TokenRefreshPolicy policy(TokenEndpointTransport transport) {
        world.tokens.setAccessTokenLifetime(LIFETIME);
        return world.policy(world.config()
                .clock(clock)
                .scheduler(scheduler)
                .staleThreshold(Duration.ofSeconds(6), 0.1)
                .expiryThreshold(Duration.ofSeconds(6), 0.1)
                .refreshTimeout(Duration.ofMinutes(5))
                .build(), transport);
    }

    @Test
    @DisplayName("64 classic callers through 3 expiries: one token request per expiry, no 401, no reuse detected")
    void shouldRefreshOncePerExpiryForClassicCallers() throws Exception {
        TokenRefreshPolicy policy = policy(ApacheTokenEndpointTransport.of(world.tokenClient));
        CloseableHttpClient client = world.closeLater(TokenRefreshExecChainHandler.install(HttpClients.custom(),
                        policy)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(CALLERS).setMaxConnTotal(2 * CALLERS).build())
                .build());
        assertThat(classicGet(client)).isEqualTo(200);

        for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
            long coalescedBefore = policy.getMetrics().getNumberOfCoalescedCallers();
            world.tokens.holdResponses();
            clock.advance(LIFETIME);
            assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.EXPIRED);

            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(threads.submit(() -> {
                    start.await();
                    return classicGet(client);
                }));
            }
            start.countDown();
            awaitEveryCallerWaiting(policy, coalescedBefore);
            world.tokens.releaseResponses();

            for (Future<Integer> call : calls) {
                assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(world.tokens.requestCount()).as("token requests after expiry %d", expiry)
                    .isEqualTo(1 + expiry);
        }

        assertNoRejectionAndNoReuse();
    }

    @Test
    @DisplayName("64 async callers through 3 expiries: one token request per expiry, no 401, no reuse detected")
    void shouldRefreshOncePerExpiryForAsyncCallers() throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(CALLERS).setMaxConnTotal(2 * CALLERS).build())
                .build();
        client.start();
        world.closeLater(client);
        // One client for the API calls and the token endpoint: the handler leaves the token endpoint alone.
        TokenRefreshPolicy policy = policy(ApacheAsyncTokenEndpointTransport.of(client));
        CloseableHttpAsyncClient api = world.closeLater(TokenRefreshAsyncExecChainHandler.install(
                        HttpAsyncClients.custom(), policy)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(CALLERS).setMaxConnTotal(2 * CALLERS).build())
                .build());
        api.start();
        assertThat(asyncGet(api).get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(200);

        for (int expiry = 1; expiry <= EXPIRIES; expiry++) {
            long coalescedBefore = policy.getMetrics().getNumberOfCoalescedCallers();
            world.tokens.holdResponses();
            clock.advance(LIFETIME);
            assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.EXPIRED);

            List<Future<SimpleHttpResponse>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(asyncGet(api));
            }
            awaitEveryCallerWaiting(policy, coalescedBefore);
            world.tokens.releaseResponses();

            for (Future<SimpleHttpResponse> call : calls) {
                assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(200);
            }
            assertThat(world.tokens.requestCount()).as("token requests after expiry %d", expiry)
                    .isEqualTo(1 + expiry);
        }

        assertNoRejectionAndNoReuse();
    }

    /** Every caller has joined the refresh, and it is the only token request the server holds. */
    private void awaitEveryCallerWaiting(TokenRefreshPolicy policy, long coalescedBefore) throws Exception {
        await().atMost(WAIT).until(() -> policy.getMetrics().getNumberOfCoalescedCallers() == coalescedBefore
                + CALLERS);
        assertThat(world.tokens.awaitHeldResponses(1, WAIT)).isTrue();
        assertThat(world.tokens.heldResponseCount()).isEqualTo(1);
    }

    private void assertNoRejectionAndNoReuse() {
        assertThat(world.api.requestCount()).isEqualTo(1 + EXPIRIES * CALLERS);
        assertThat(world.api.unauthorizedCount()).isZero();
        assertThat(world.tokens.reuseDetections()).isZero();
        assertThat(world.tokens.isFamilyRevoked(world.family.familyId())).isFalse();
    }

    private int classicGet(CloseableHttpClient client) throws Exception {
        return client.execute(new HttpGet(world.api.uri("/orders")), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private Future<SimpleHttpResponse> asyncGet(CloseableHttpAsyncClient client) {
        return client.execute(SimpleRequestBuilder.get(world.api.uri("/orders")).build(), null);
    }
}
