package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.TokenFailures;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Calls a resource server through a token-refreshing client, guarded by a Resilience4j {@link Retry} and
 * {@link CircuitBreaker} in the recommended order: {@code Retry( CircuitBreaker( token policy( HTTP call ) ) )}.
 *
 * <p>The token policy is innermost (here it lives inside the {@code TokenRefreshHttpClient}), so one retry attempt
 * covers a refresh and the replay of a rejected request, and the breaker sees each attempt once. The breaker sits
 * inside the retry, the order Resilience4j's own annotations use: it counts every attempt, so it opens on a failing
 * resource server without waiting for retries to be used up, and the retry does not retry the breaker's
 * {@code CallNotPermittedException}. Both ignore token failures except where they help: the retry retries a
 * transient token endpoint outage and never a revoked grant; the breaker never counts a token failure against the
 * resource server.
 *
 * <p>Thread-safe: share one instance.
 */
public final class Resilience4jOrdersClient {

    private final HttpClient client;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;

    /**
     * Creates the client.
     *
     * @param client a client that attaches and refreshes the token, such as a {@code TokenRefreshHttpClient}
     * @param retry the retry, for example built from {@link #retryConfig()}
     * @param breaker the resource server's breaker, for example built from {@link #breakerConfig()}
     * @param scheduler where asynchronous retries wait
     */
    public Resilience4jOrdersClient(HttpClient client, Retry retry, CircuitBreaker breaker,
            ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        this.retry = Objects.requireNonNull(retry, "retry must not be null");
        this.breaker = Objects.requireNonNull(breaker, "breaker must not be null");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    }

    /**
     * The recommended retry: three attempts, retrying a transient token endpoint outage, the resource server's I/O
     * errors and its 503 answers; never a terminal token failure, whatever else matches.
     *
     * @return the configuration
     */
    public static RetryConfig retryConfig() {
        return RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(3)
                .waitDuration(Duration.ofMillis(500))
                .retryOnException(TokenFailures.retryOn(failure -> failure instanceof IOException))
                .retryOnResult(response -> response.statusCode() == 503)
                .build();
    }

    /**
     * The recommended breaker for the resource server: it records the server's I/O errors and 5xx answers, and
     * never a token failure, which says nothing about the resource server.
     *
     * @return the configuration
     */
    public static CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .recordException(TokenFailures.recordOn(failure -> failure instanceof IOException))
                .recordResult(result -> result instanceof HttpResponse
                        && ((HttpResponse<?>) result).statusCode() >= 500)
                .build();
    }

    /**
     * Sends a request, blocking.
     *
     * @param request the request; the token is attached by the client
     * @return the response
     * @throws Exception the last attempt's failure: an {@link IOException}, a token failure, or the breaker's
     *         {@code CallNotPermittedException}
     */
    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return Decorators.ofCallable(() -> client.send(request, BodyHandlers.ofString()))
                .withCircuitBreaker(breaker)
                .withRetry(retry)
                .call();
    }

    /**
     * Sends a request without blocking; retries wait on the scheduler.
     *
     * @param request the request; the token is attached by the client
     * @return a stage of the response, failing like {@link #send(HttpRequest)}
     */
    public CompletionStage<HttpResponse<String>> sendAsync(HttpRequest request) {
        return Decorators.ofCompletionStage(() -> client.sendAsync(request, BodyHandlers.ofString()))
                .withCircuitBreaker(breaker)
                .withRetry(retry, scheduler)
                .get();
    }
}
