package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.testing.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The example's Retry and CircuitBreaker around the token endpoint call, over real HTTP to a loopback authorization
 * server, with the breaker on the same manual clock as the policy.
 */
class GuardedTokenEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final LoopbackServers servers = new LoopbackServers();
    private final List<RefreshSucceededEvent> succeeded = new CopyOnWriteArrayList<>();
    private final List<RefreshFailedEvent> failed = new CopyOnWriteArrayList<>();
    private final Retry retry = Retry.of("token-endpoint", GuardedTokenEndpoint.retryConfig());
    private final CircuitBreaker breaker = CircuitBreaker.of("token-endpoint",
            CircuitBreakerConfig.from(GuardedTokenEndpoint.breakerConfig())
                    .slidingWindowSize(2)
                    .minimumNumberOfCalls(2)
                    .clock(servers.clock)
                    .build());

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private TokenRefreshPolicy policy() {
        TokenGrant guarded = GuardedTokenEndpoint.guard(servers.grant(), retry, breaker, servers.threads);
        TokenRefreshPolicy policy = servers.policyWithoutToken(guarded, servers.config()
                .backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1))
                .build());
        policy.getEventPublisher().onRefreshSucceeded(succeeded::add).onRefreshFailed(failed::add);
        return policy;
    }

    @Test
    void retryOutsideCircuitBreakerOnTheEndpoint_oneBlipIsAbsorbedWithinOneRefresh() {
        TokenRefreshPolicy policy = policy();
        servers.tokens.enqueue(ScriptedResponse.error(503, "temporarily_unavailable"));

        AccessToken token = policy.acquireToken();

        assertThat(servers.tokens.isValid(token.value().reveal())).isTrue();
        assertThat(servers.tokens.requestCount()).isEqualTo(2);
        await().atMost(WAIT).until(() -> succeeded.size() == 1);
        assertThat(failed).isEmpty();
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void retryOutsideCircuitBreakerOnTheEndpoint_policyBacksOffUntilTheBreakerHalfOpens() {
        TokenRefreshPolicy policy = policy();
        servers.tokens.enqueue(2, ScriptedResponse.error(503, "temporarily_unavailable"));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        await().atMost(WAIT).until(() -> failed.size() == 1);
        servers.clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(policy::acquireToken)
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e).hasCauseInstanceOf(CallNotPermittedException.class);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(25).plusMillis(1));
                });
        await().atMost(WAIT).until(() -> failed.size() == 2);
        assertThat(failed.get(1).getBackoff()).isEqualTo(Duration.ofSeconds(25).plusMillis(1));
        assertThat(servers.tokens.requestCount()).as("the open breaker kept the refresh off the endpoint")
                .isEqualTo(2);

        servers.clock.advance(failed.get(1).getBackoff());
        AccessToken token = policy.acquireToken();

        assertThat(servers.tokens.isValid(token.value().reveal())).isTrue();
        assertThat(servers.tokens.requestCount()).isEqualTo(3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void retryOutsideCircuitBreakerOnTheEndpoint_refusedGrantIsNeitherRetriedNorRecorded() {
        TokenRefreshPolicy policy = policy();
        servers.tokens.revokeFamily(servers.family.familyId());

        assertThatThrownBy(policy::acquireToken).isInstanceOf(ReauthenticationRequiredException.class);

        assertThat(servers.tokens.requestCount()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.REAUTHENTICATION_REQUIRED);
    }
}
