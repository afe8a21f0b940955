package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.ReplayRefusedException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core's {@code decorateCallable} and {@code decorateCompletionStage} wrapped by Resilience4j's static decorators,
 * over real loopback HTTP with a plain JDK client.
 */
class Resilience4jDecoratedCallsTest {

    private final LoopbackServers servers = new LoopbackServers();
    private final Retry retry = Retry.of("orders-api", RetryConfig.from(Resilience4jOrdersClient.retryConfig())
            .waitDuration(Duration.ofMillis(10))
            .build());
    private final CircuitBreaker breaker = CircuitBreaker.of("orders-api", Resilience4jOrdersClient.breakerConfig());

    @AfterEach
    void tearDown() {
        servers.close();
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_oneAttemptCoversRefreshAndReplay() throws Exception {
        TokenRefreshPolicy policy = servers.loggedInPolicy();
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = Resilience4jDecoratedCalls.blocking(policy, servers.jdk,
                servers.get("/orders/1"), retry, breaker).call();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_async_oneAttemptCoversRefreshAndReplay() throws Exception {
        TokenRefreshPolicy policy = servers.loggedInPolicy();
        servers.tokens.revoke(servers.family.accessToken());

        HttpResponse<String> response = Resilience4jDecoratedCalls.nonBlocking(policy, servers.jdk,
                servers.get("/orders/1"), retry, breaker, servers.threads).get().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servers.api.unauthorizedCount()).isEqualTo(1);
        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void retryOutsideCircuitBreakerOutsideTokenPolicy_refusedReplayIsNeitherRetriedNorRecorded() {
        TokenRefreshPolicy policy = servers.loggedInPolicy();
        CircuitBreaker strictBreaker = CircuitBreaker.of("strict", CircuitBreakerConfig
                .from(Resilience4jOrdersClient.breakerConfig()).slidingWindowSize(2).minimumNumberOfCalls(2).build());
        // Every token is rejected: a resource server that does not trust this authorization server.
        servers.api.route("/orders/1", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            exchange.sendResponseHeaders(401, -1);
        });

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> Resilience4jDecoratedCalls.nonBlocking(policy, servers.jdk,
                    servers.get("/orders/1"), retry, strictBreaker, servers.threads).get().toCompletableFuture()
                    .join())
                    .hasCauseInstanceOf(ReplayRefusedException.class);
        }

        assertThat(servers.api.requestCount()).as("each call: the first send and one replay").isEqualTo(4);
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(2);
        assertThat(strictBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(strictBreaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }
}
