package io.github.tokenrefresh.examples.demo;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.examples.GuardedTokenEndpoint;
import io.github.tokenrefresh.examples.Resilience4jOrdersClient;

import java.io.IOException;
import java.time.Duration;

/**
 * The Resilience4j settings of the demo: the recipes of {@link Resilience4jOrdersClient} (around the resource calls)
 * and {@link GuardedTokenEndpoint} (around the token endpoint), with the result type the demo's calls return (the
 * HTTP status) and waits fit for access tokens that live a few seconds.
 *
 * <p>Not instantiable.
 */
final class DemoResilience {

    /** Name of the Retry and CircuitBreaker around the resource calls. */
    static final String RESOURCE = "resource";

    /** Name of the Retry and CircuitBreaker around the token endpoint. */
    static final String TOKEN_ENDPOINT = "token-endpoint";

    /**
     * How long the token endpoint's breaker stays open in loopback mode: a second, so that the breaker opens and
     * closes again within an outage of a few seconds. Against a real provider the recipe's thirty seconds apply.
     */
    static final Duration LOOPBACK_ENDPOINT_OPEN_WAIT = Duration.ofSeconds(1);

    /** How long the token endpoint's breaker stays open against a real provider: the recipe's thirty seconds. */
    static final Duration PROVIDER_ENDPOINT_OPEN_WAIT = Duration.ofSeconds(30);

    private DemoResilience() {
    }

    /**
     * The callers' retry, as in {@link Resilience4jOrdersClient#retryConfig()}: three attempts half a second apart,
     * retrying a transient token failure, an I/O error and a 503, never a terminal token failure.
     */
    static RetryConfig resourceRetry() {
        return RetryConfig.<Integer>custom()
                .maxAttempts(3)
                .waitDuration(Duration.ofMillis(500))
                .retryOnException(TokenFailures.retryOn(failure -> failure instanceof IOException))
                .retryOnResult(status -> status == 503)
                .build();
    }

    /**
     * The resource server's breaker, as in {@link Resilience4jOrdersClient#breakerConfig()}: it counts I/O errors and
     * 5xx answers and never a token failure, so a token endpoint outage never opens it.
     */
    static CircuitBreakerConfig resourceBreaker() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .recordException(TokenFailures.recordOn(failure -> failure instanceof IOException))
                .recordResult(result -> result instanceof Integer && (Integer) result >= 500)
                .build();
    }

    /** The token endpoint's retry: {@link GuardedTokenEndpoint#retryConfig()} as it is. */
    static RetryConfig endpointRetry() {
        return GuardedTokenEndpoint.retryConfig();
    }

    /**
     * The token endpoint's breaker: {@link GuardedTokenEndpoint#breakerConfig()} with a four-call window, so that
     * two failed refreshes of two attempts each open it, one trial call in the half-open state, and the given wait.
     */
    static CircuitBreakerConfig endpointBreaker(Duration openWait) {
        return CircuitBreakerConfig.from(GuardedTokenEndpoint.breakerConfig())
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(openWait)
                .build();
    }
}
