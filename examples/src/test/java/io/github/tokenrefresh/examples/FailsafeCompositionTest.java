package io.github.tokenrefresh.examples;

import dev.failsafe.CircuitBreaker;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The example's Failsafe chain, {@code Failsafe.with(fallback, retryPolicy, circuitBreaker, tokenPolicy)}, around a
 * plain JDK client over real loopback HTTP. Each test is named for its order, outermost first.
 */
class FailsafeCompositionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final LoopbackServers servers = new LoopbackServers();
    private final CircuitBreaker<HttpResponse<String>> breaker = FailsafeOrdersClient.circuitBreaker();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private FailsafeOrdersClient ordersClient(TokenRefreshPolicy policy) {
        return new FailsafeOrdersClient(servers.jdk, policy, FailsafeOrdersClient.retryPolicy(Duration.ofMillis(10)),
                breaker, servers.threads);
    }

    @Test
    void fallbackRetryBreakerTokenPolicy_oneAttemptCoversRefreshAndReplay() {
        FailsafeOrdersClient client = ordersClient(servers.loggedInPolicy());
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = client.send(servers.get("/orders/1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.api.okCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(breaker.getExecutionCount()).as("the replay is inside the breaker's one attempt").isEqualTo(1);
        assertThat(breaker.getSuccessCount()).isEqualTo(1);
        assertThat(servers.api.requests("/orders/1").get(1).bearerToken())
                .isNotEqualTo(servers.family.accessToken());
    }

    @Test
    void fallbackRetryBreakerTokenPolicy_async_oneAttemptCoversRefreshAndReplay() throws Exception {
        FailsafeOrdersClient client = ordersClient(servers.loggedInPolicy());
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = client.sendAsync(servers.get("/orders/1")).get(5, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.api.okCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(breaker.getExecutionCount()).isEqualTo(1);
    }

    @Test
    void fallbackRetryBreakerTokenPolicy_terminalRejectionIsNeitherRetriedNorRecorded() {
        TokenRefreshPolicy policy = servers.loggedInPolicy();
        FailsafeOrdersClient client = ordersClient(policy);
        servers.tokens.revokeFamily(servers.family.familyId());

        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> client.send(servers.get("/orders/1")))
                    .isInstanceOf(ReauthenticationRequiredException.class);
        }

        assertThat(servers.api.requestCount()).as("no retry sent the request again").isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(breaker.isClosed()).isTrue();
        assertThat(breaker.getFailureCount()).isZero();
    }

    @Test
    void fallbackRetryBreakerTokenPolicy_breakerInsideRetryOpensOnAFailingResourceAndTheFallbackAnswers() {
        FailsafeOrdersClient client = ordersClient(servers.loggedInPolicy());
        servers.failWith503("/orders/1");

        HttpResponse<String> first = client.send(servers.get("/orders/1"));
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(servers.api.requestCount()).as("the first call and two retries").isEqualTo(3);

        assertThatThrownBy(() -> client.send(servers.get("/orders/1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("circuit breaker is open");
        assertThat(breaker.isOpen()).isTrue();
        assertThat(servers.api.requestCount()).as("the breaker opened after the fifth failed attempt").isEqualTo(5);
        assertThat(servers.tokens.requestCount()).isZero();
    }

    @Test
    void fallbackRetryBreakerTokenPolicy_async_cancellingOneCallerLeavesTheSharedRefresh() throws Exception {
        TokenRefreshPolicy policy = servers.policyWithoutToken(servers.grant(), servers.config().build());
        FailsafeOrdersClient client = ordersClient(policy);
        servers.tokens.holdResponses();

        CompletableFuture<HttpResponse<String>> cancelled = client.sendAsync(servers.get("/orders/1"));
        CompletableFuture<HttpResponse<String>> kept = client.sendAsync(servers.get("/orders/2"));
        assertThat(servers.tokens.awaitHeldResponses(1, WAIT)).isTrue();

        assertThat(cancelled.cancel(true)).isTrue();
        servers.tokens.releaseResponses();

        assertThat(kept.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(servers.api.requests("/orders/1")).isEmpty();
        assertThat(servers.api.requests("/orders/2")).hasSize(1);
    }

    @Test
    void theTokenIsNeverSentToAnOriginThePolicyDoesNotAllow() {
        FailsafeOrdersClient client = ordersClient(servers.loggedInPolicy());

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://elsewhere.example/x"))
                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://elsewhere.example");
        assertThat(servers.api.requestCount()).isZero();
    }
}
