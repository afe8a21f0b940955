package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.TokenRefreshHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resilience4j's Retry and CircuitBreaker around calls of a {@link TokenRefreshHttpClient} over real loopback HTTP.
 * Each test is named for its order, outermost first; the token policy, inside the client, is always innermost.
 */
class Resilience4jCompositionTest {

    private final LoopbackServers servers = new LoopbackServers();

    @AfterEach
    void tearDown() {
        servers.close();
    }

    /** The example's retry, with waits short enough for a test. */
    private static Retry retry() {
        return Retry.of("orders-api", RetryConfig.from(Resilience4jOrdersClient.retryConfig())
                .waitDuration(Duration.ofMillis(10))
                .build());
    }

    /** The example's breaker, with a window small enough to open within a test. */
    private static CircuitBreaker breaker() {
        return CircuitBreaker.of("orders-api", CircuitBreakerConfig.from(Resilience4jOrdersClient.breakerConfig())
                .slidingWindowSize(3)
                .minimumNumberOfCalls(3)
                .build());
    }

    private Resilience4jOrdersClient ordersClient(TokenRefreshPolicy policy, Retry retry, CircuitBreaker breaker) {
        return new Resilience4jOrdersClient(TokenRefreshHttpClient.decorate(servers.jdk, policy), retry, breaker,
                servers.threads);
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_oneAttemptCoversRefreshAndReplay() throws Exception {
        Retry retry = retry();
        CircuitBreaker breaker = breaker();
        Resilience4jOrdersClient client = ordersClient(servers.loggedInPolicy(), retry, breaker);
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = client.send(servers.get("/orders/1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.api.okCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isZero();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_async_oneAttemptCoversRefreshAndReplay() throws Exception {
        Retry retry = retry();
        CircuitBreaker breaker = breaker();
        Resilience4jOrdersClient client = ordersClient(servers.loggedInPolicy(), retry, breaker);
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = client.sendAsync(servers.get("/orders/1")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.api.okCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_terminalRejectionIsNeitherRetriedNorRecorded() {
        Retry retry = retry();
        CircuitBreaker breaker = breaker();
        TokenRefreshPolicy policy = servers.loggedInPolicy();
        Resilience4jOrdersClient client = ordersClient(policy, retry, breaker);
        servers.tokens.revokeFamily(servers.family.familyId());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.send(servers.get("/orders/1")))
                    .isInstanceOf(ReauthenticationRequiredException.class);
        }
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.sendAsync(servers.get("/orders/1")).toCompletableFuture().join())
                    .hasCauseInstanceOf(ReauthenticationRequiredException.class);
        }

        assertThat(retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(6);
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(servers.tokens.requestCount()).as("one refresh, refused; then the policy fails fast")
                .isEqualTo(1);
        assertThat(servers.api.requestCount()).isEqualTo(1);
        assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.REAUTHENTICATION_REQUIRED);
    }

    @Test
    void retryOutsideTokenPolicy_transientTokenEndpointOutageIsRetriedAfterThePolicysBackoff() throws Exception {
        TokenRefreshPolicy policy = servers.policyWithoutToken(servers.grant(),
                servers.config().backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1)).build());
        Retry retry = retry();
        // The policy's clock is manual: each retry first lets the policy's one-second backoff pass.
        retry.getEventPublisher().onRetry(event -> servers.clock.advance(Duration.ofSeconds(1)));
        Resilience4jOrdersClient client = ordersClient(policy, retry, breaker());
        servers.tokens.enqueue(io.github.tokenrefresh.testing.ScriptedResponse.error(503,
                "temporarily_unavailable"));

        HttpResponse<String> response = client.send(servers.get("/orders/1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.tokens.requestCount()).isEqualTo(2);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        assertThat(servers.api.requestCount()).as("nothing was sent without a token").isEqualTo(1);
    }

    @Test
    void retryOutsideCircuitBreaker_breakerCountsEveryAttempt() throws Exception {
        Retry retry = retry();
        CircuitBreaker breaker = breaker();
        Resilience4jOrdersClient client = ordersClient(servers.loggedInPolicy(), retry, breaker);
        servers.failWith503("/orders/1");

        HttpResponse<String> response = client.send(servers.get("/orders/1"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(servers.api.requestCount()).isEqualTo(3);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
        assertThat(breaker.getState()).as("one failing logical call is enough to open it")
                .isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(servers.tokens.requestCount()).isZero();
    }

    @Test
    void circuitBreakerOutsideRetry_breakerCountsOneFailurePerRetriedCall() throws Exception {
        Retry retry = retry();
        CircuitBreaker breaker = breaker();
        TokenRefreshHttpClient client = TokenRefreshHttpClient.decorate(servers.jdk, servers.loggedInPolicy());
        servers.failWith503("/orders/1");

        HttpResponse<String> response = Decorators.ofCallable(() -> client.send(servers.get("/orders/1"),
                        BodyHandlers.ofString()))
                .withRetry(retry)
                .withCircuitBreaker(breaker)
                .call();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(servers.api.requestCount()).isEqualTo(3);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
