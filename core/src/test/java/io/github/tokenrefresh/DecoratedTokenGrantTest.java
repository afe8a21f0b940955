package io.github.tokenrefresh;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.JdkTestTransportAccess;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_ID;
import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Resilience4j Retry and CircuitBreaker around the token endpoint call itself, over real HTTP to a loopback
 * authorization server.
 */
class DecoratedTokenGrantTest {

    private final LoopbackTokenServer server = LoopbackTokenServer.start();
    private final TokenFamily family = server.issueFamily();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler manualScheduler = new ManualScheduler(clock);
    private final ScheduledExecutorService retryScheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<RefreshSucceededEvent> succeeded = new CopyOnWriteArrayList<>();
    private final List<RefreshFailedEvent> failed = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        retryScheduler.shutdownNow();
        manualScheduler.shutdownNow();
        server.close();
    }

    private RefreshTokenGrant grant() {
        TokenEndpoint endpoint = TokenEndpoint.builder(server.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(DEFAULT_CLIENT_ID,
                        Secret.of(DEFAULT_CLIENT_SECRET)))
                .transport(new JdkTestTransportAccess().transport())
                .build();
        return RefreshTokenGrant.builder(endpoint).initialRefreshToken(Secret.of(family.refreshToken())).build();
    }

    private TokenRefreshPolicy policy(TokenGrant grant, TokenRefreshConfig.Builder config) {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config.build(), grant);
        policy.getEventPublisher().onRefreshSucceeded(succeeded::add).onRefreshFailed(failed::add);
        return policy;
    }

    private TokenRefreshConfig.Builder manualTime() {
        return TokenRefreshConfig.custom().clock(clock).scheduler(manualScheduler).executor(Runnable::run)
                .refreshJitter(0.0);
    }

    /** A grant Retry: anything but a definitive refusal is worth another try within the refresh. */
    private static Retry grantRetry(int maxAttempts, Duration wait) {
        return Retry.of("token-endpoint", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .waitDuration(wait)
                .retryOnException(TokenFailures.isTerminal().negate())
                .build());
    }

    @Test
    @DisplayName("A Retry inside the grant turns a 503 into one successful refresh: the policy never sees a failure")
    void shouldAbsorbATransientOutageWithinOneRefresh() {
        Retry retry = grantRetry(3, Duration.ofMillis(50));
        TokenGrant guarded = DecoratedTokenGrant.of(grant(),
                call -> Retry.decorateCompletionStage(retry, retryScheduler, call));
        TokenRefreshPolicy policy = policy(guarded, manualTime());
        server.enqueue(ScriptedResponse.error(503, "temporarily_unavailable"));

        AccessToken token = policy.acquireToken();

        assertThat(server.isValid(token.value().reveal())).isTrue();
        assertThat(server.requestCount()).isEqualTo(2);
        // Events are published once the refresh has settled, which may be just after the caller woke up.
        await().atMost(Duration.ofSeconds(2)).until(() -> succeeded.size() == 1);
        assertThat(failed).isEmpty();
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    @DisplayName("A refused grant is neither retried by the grant's Retry nor recorded by the endpoint's breaker")
    void shouldNeitherRetryNorRecordARefusedGrant() {
        Retry retry = grantRetry(3, Duration.ofMillis(10));
        CircuitBreaker breaker = CircuitBreaker.of("token-endpoint", CircuitBreakerConfig.custom()
                .recordException(TokenFailures.isGrantRefused().negate())
                .build());
        TokenGrant guarded = DecoratedTokenGrant.of(grant(), call -> Decorators.ofCompletionStage(call)
                .withCircuitBreaker(breaker)
                .withRetry(retry, retryScheduler)
                .decorate());
        TokenRefreshPolicy policy = policy(guarded, manualTime());
        server.revokeFamily(family.familyId());

        assertThatThrownBy(policy::acquireToken).isInstanceOf(ReauthenticationRequiredException.class);

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.REAUTHENTICATION_REQUIRED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
    }

    @Test
    @DisplayName("An open breaker on the endpoint fails the refresh fast, and the policy backs off exactly until the "
            + "breaker lets a trial call through")
    void shouldBackOffUntilTheBreakerHalfOpens() {
        Duration openFor = Duration.ofSeconds(20);
        CircuitBreaker breaker = CircuitBreaker.of("token-endpoint", CircuitBreakerConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .recordException(TokenFailures.isGrantRefused().negate())
                .build());
        TokenGrant guarded = DecoratedTokenGrant.builder(grant())
                .decorator(call -> CircuitBreaker.decorateCompletionStage(breaker, call))
                .retryAfter(failure -> failure instanceof CallNotPermittedException
                        ? Optional.of(openFor) : Optional.empty())
                .build();
        TokenRefreshPolicy policy = policy(guarded,
                manualTime().backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)));
        server.enqueue(2, ScriptedResponse.error(503, "temporarily_unavailable"));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(policy::acquireToken)
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.retryAfter()).contains(openFor);
                    assertThat(e).hasCauseInstanceOf(CallNotPermittedException.class);
                });
        assertThat(server.requestCount()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).until(() -> failed.size() == 3);
        assertThat(failed.get(2).getBackoff()).isEqualTo(openFor);
        assertThatThrownBy(policy::acquireToken)
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("backing off"));
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("A Retry inside the grant cannot stretch a refresh past the refresh timeout, nor call the endpoint "
            + "after it")
    void shouldEndTheRefreshAtTheRefreshTimeout() {
        Retry retry = grantRetry(3, Duration.ofMillis(300));
        TokenGrant guarded = DecoratedTokenGrant.of(grant(),
                call -> Retry.decorateCompletionStage(retry, retryScheduler, call));
        TokenRefreshPolicy policy = policy(guarded, TokenRefreshConfig.custom().refreshTimeout(Duration.ofMillis(200)));
        server.enqueue(3, ScriptedResponse.error(503, "temporarily_unavailable"));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);

        // The exchange itself ends at the timeout (not when the policy would abandon it, 30 s later), so the policy
        // backs off on its own schedule while the Retry still has an attempt planned.
        await().atMost(Duration.ofSeconds(2)).until(() -> failed.size() == 1);
        assertThat(failed.get(0).getFailure()).hasMessageContaining("did not finish within the refresh timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()
                == 1);
        assertThat(server.requestCount()).isEqualTo(1);
        policy.close();
    }

    @Test
    @DisplayName("Each attempt of a decorated refresh is told only the time left of the refresh timeout")
    void shouldNarrowEachAttemptsTimeout() {
        List<Duration> timeouts = new CopyOnWriteArrayList<>();
        TokenGrant recording = request -> {
            timeouts.add(request.timeout());
            return CompletableFuture.failedFuture(new TokenEndpointUnavailableException("HTTP 503", 503, null, null));
        };
        Retry retry = grantRetry(2, Duration.ofMillis(100));
        TokenGrant guarded = DecoratedTokenGrant.of(recording,
                call -> Retry.decorateCompletionStage(retry, retryScheduler, call));
        GrantRequest request = new GrantRequest("orders", null, RefreshTrigger.INITIAL, Duration.ofSeconds(5));

        CompletionStage<TokenResponse> answer = guarded.requestTokens(request);

        assertThatThrownBy(() -> answer.toCompletableFuture().join()).hasCauseInstanceOf(
                TokenEndpointUnavailableException.class);
        assertThat(timeouts).hasSize(2);
        assertThat(timeouts.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(5)).isGreaterThan(Duration.ofSeconds(4));
        assertThat(timeouts.get(1)).isLessThanOrEqualTo(timeouts.get(0).minusMillis(100));
    }

    @Test
    @DisplayName("A grant that throws, or a retryAfter rule that throws, still ends the refresh with the failure")
    void shouldTurnThrowingPartsIntoFailedRefreshes() {
        IllegalStateException broken = new IllegalStateException("grant misconfigured");
        TokenGrant throwing = request -> {
            throw broken;
        };
        DecoratedTokenGrant guarded = DecoratedTokenGrant.builder(throwing)
                .decorator(call -> call)
                .retryAfter(failure -> {
                    throw new IllegalArgumentException("rule bug");
                })
                .build();
        GrantRequest request = new GrantRequest("orders", null, RefreshTrigger.INITIAL, Duration.ofSeconds(5));

        CompletableFuture<TokenResponse> answer = guarded.requestTokens(request).toCompletableFuture();

        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).hasCause(broken);
    }

    @Test
    @DisplayName("The builder refuses null arguments, naming them")
    void shouldRejectNullArguments() {
        assertThatThrownBy(() -> DecoratedTokenGrant.builder(null)).hasMessageContaining("grant");
        assertThatThrownBy(() -> DecoratedTokenGrant.builder(grant()).decorator(null))
                .hasMessageContaining("decorator");
        assertThatThrownBy(() -> DecoratedTokenGrant.builder(grant()).retryAfter(null))
                .hasMessageContaining("retryAfter");
    }
}
