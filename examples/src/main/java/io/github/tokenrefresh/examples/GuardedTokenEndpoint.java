package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.DecoratedTokenGrant;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.TokenGrant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A Resilience4j {@link Retry} and {@link CircuitBreaker} around the token endpoint call itself, apart from the
 * breaker that guards the resource server: {@code Retry( CircuitBreaker( token endpoint ) )} inside one refresh.
 *
 * <p>How the three schedules agree:
 * <ul>
 *   <li>The retry absorbs a blip (one 503, a reset connection) within one refresh, so the policy never sees it. Its
 *       waits must fit in the policy's refresh timeout; {@link DecoratedTokenGrant} ends the refresh at that timeout
 *       anyway and gives each attempt only the time that is left.</li>
 *   <li>The breaker records endpoint failures but not a refused grant ({@code invalid_grant} proves the endpoint
 *       works). While it is open, a refresh fails at once without calling the endpoint, and the retry does not
 *       retry that.</li>
 *   <li>{@link #untilHalfOpen(CircuitBreaker)} tells the policy how long the breaker stays open, so the policy's
 *       own backoff waits exactly until the breaker lets a trial call through, instead of growing its exponential
 *       delay on top of the breaker's.</li>
 * </ul>
 *
 * <p>Not instantiable: static recipes only.
 */
public final class GuardedTokenEndpoint {

    private GuardedTokenEndpoint() {
    }

    /**
     * Wraps a grant in {@code retry} and {@code breaker}.
     *
     * @param grant the grant that calls the token endpoint
     * @param retry the endpoint's retry, for example built from {@link #retryConfig()}
     * @param breaker the endpoint's breaker, for example built from {@link #breakerConfig()}
     * @param scheduler where the retry waits
     * @return the guarded grant to build the policy with
     */
    public static TokenGrant guard(TokenGrant grant, Retry retry, CircuitBreaker breaker,
            ScheduledExecutorService scheduler) {
        return DecoratedTokenGrant.builder(grant)
                .decorator(call -> Decorators.ofCompletionStage(call)
                        .withCircuitBreaker(breaker)
                        .withRetry(retry, scheduler)
                        .decorate())
                .retryAfter(untilHalfOpen(breaker))
                .build();
    }

    /**
     * The endpoint's retry: two attempts 200 ms apart, well inside the default 10-second refresh timeout; retries
     * anything but a terminal token failure and an open breaker.
     *
     * @return the configuration
     */
    public static RetryConfig retryConfig() {
        return RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(200))
                .retryOnException(failure -> !TokenFailures.isTerminal().test(failure)
                        && !(TokenFailures.unwrap(failure) instanceof CallNotPermittedException))
                .build();
    }

    /**
     * The endpoint's breaker: opens when half of the last ten refresh attempts failed, stays open 30 seconds, and
     * never counts a refused grant.
     *
     * @return the configuration
     */
    public static CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .recordException(TokenFailures.isGrantRefused().negate())
                .build();
    }

    /**
     * A {@code retryAfter} rule for {@link DecoratedTokenGrant.Builder#retryAfter}: for the breaker's
     * {@link CallNotPermittedException}, the time until the breaker lets a trial call through, by the breaker's
     * clock (a millisecond past its wait); empty for anything else. Suits a breaker with a fixed
     * {@code waitDurationInOpenState}.
     *
     * @param breaker the endpoint's breaker
     * @return the rule; thread-safe
     */
    public static Function<Throwable, Optional<Duration>> untilHalfOpen(CircuitBreaker breaker) {
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        Clock clock = config.getClock();
        Duration openFor = Duration.ofMillis(config.getWaitIntervalFunctionInOpenState().apply(1));
        AtomicReference<Instant> openedAt = new AtomicReference<>(clock.instant());
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.set(clock.instant());
            }
        });
        return failure -> {
            if (!(failure instanceof CallNotPermittedException)) {
                return Optional.empty();
            }
            // The breaker lets a call through only once its wait is strictly over, hence the extra millisecond.
            Duration left = Duration.between(clock.instant(), openedAt.get().plus(openFor)).plusMillis(1);
            return Optional.of(left.isNegative() ? Duration.ZERO : left);
        };
    }
}
