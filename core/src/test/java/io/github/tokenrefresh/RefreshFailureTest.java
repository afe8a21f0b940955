package io.github.tokenrefresh;

import io.github.tokenrefresh.TokenRefreshPolicy.State;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.event.RefreshRejectedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class RefreshFailureTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static ReauthenticationRequiredException invalidGrant() {
        return new ReauthenticationRequiredException("refused with invalid_grant", "invalid_grant", null);
    }

    private static TokenEndpointUnavailableException unavailable(Duration retryAfter) {
        return new TokenEndpointUnavailableException("HTTP 503", 503, retryAfter, null);
    }

    private TokenRefreshPolicy policyWithBackoff() {
        return fixture.policy(fixture.config().backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60)).build());
    }

    @Test
    @DisplayName("invalid_grant puts the policy in re-authentication-required: calls fail fast, no more grant calls")
    void shouldRequireReauthenticationAfterInvalidGrant() {
        fixture.seed("token-1", Duration.ofHours(1));
        List<RefreshRejectedEvent> rejected = new CopyOnWriteArrayList<>();
        TokenRefreshPolicy policy = fixture.policy();
        policy.getEventPublisher().onRefreshRejected(rejected::add);
        fixture.grant.thenFail(invalidGrant());

        AccessToken token = policy.acquireToken();
        assertThatThrownBy(() -> policy.refreshAfterRejection(token))
                .isInstanceOf(ReauthenticationRequiredException.class);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> policy.executeSupplier(AccessToken::value))
                    .isInstanceOf(ReauthenticationRequiredException.class)
                    .hasMessageContaining("'orders' requires re-authentication")
                    .hasMessageContaining("supplyTokens")
                    .satisfies(e -> assertThat(((TokenRefreshException) e).isRetryable()).isFalse());
        }
        fixture.clock.advance(Duration.ofHours(3));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(policy.getState()).isEqualTo(State.REAUTHENTICATION_REQUIRED);
        assertThat(policy.getMetrics().isReauthenticationRequired()).isTrue();
        assertThat(rejected).singleElement()
                .satisfies(event -> assertThat(event.getFailure().error()).contains("invalid_grant"));

        policy.supplyTokens(TokenSet.builder().accessToken("after-login").refreshToken("new-refresh")
                .issuedAt(fixture.clock.instant()).expiresAt(fixture.clock.instant().plus(Duration.ofHours(1)))
                .build());
        String used = policy.executeSupplier(t -> t.value().reveal());
        assertThat(used).isEqualTo("after-login");
        assertThat(policy.getState()).isEqualTo(State.FRESH);
        assertThat(fixture.store.load("orders").orElseThrow().refreshToken()).contains(Secret.of("new-refresh"));
    }

    @Test
    @DisplayName("A 503 while the token is still valid keeps callers succeeding and respects the backoff")
    void shouldKeepServingAndBackOffOnTransientFailure() {
        fixture.seed("token-1", Duration.ofHours(1));
        List<RefreshFailedEvent> failures = new CopyOnWriteArrayList<>();
        TokenRefreshPolicy policy = policyWithBackoff();
        policy.getEventPublisher().onRefreshFailed(failures::add);
        fixture.grant.thenFail(unavailable(null)).thenFail(unavailable(null));

        fixture.clock.advance(Duration.ofMinutes(55));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        String used = policy.executeSupplier(t -> t.value().reveal());
        assertThat(used).isEqualTo("token-1");

        // First backoff: 2 s, drawn between 1 s and 2 s; the next call comes exactly when it ends.
        Duration first = failures.get(0).getBackoff();
        assertThat(first).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        fixture.clock.advance(first.minusMillis(1));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(fixture.grant.calls()).isEqualTo(2);

        // Second backoff: 4 s, drawn between 2 s and 4 s.
        Duration second = failures.get(1).getBackoff();
        assertThat(second).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        fixture.clock.advance(second.minusMillis(1));
        assertThat(fixture.grant.calls()).isEqualTo(2);
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(fixture.grant.calls()).isEqualTo(3);

        assertThat(policy.acquireToken().value().reveal()).isEqualTo(ScriptedGrant.access(3));
        assertThat(failures).hasSize(2).allSatisfy(event -> {
            assertThat(event.getOutcome()).isEqualTo(RefreshOutcome.TRANSIENT_FAILURE);
            assertThat(event.getFailure()).isInstanceOf(TokenEndpointUnavailableException.class);
        });
        assertThat(policy.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    @DisplayName("Retry-After from the token endpoint decides when the policy asks again")
    void shouldHonourRetryAfter() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = policyWithBackoff();
        fixture.grant.thenFail(unavailable(Duration.ofSeconds(7)));

        fixture.clock.advance(Duration.ofMinutes(55));
        fixture.clock.advance(Duration.ofMillis(6999));
        assertThat(fixture.grant.calls()).isEqualTo(1);
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(fixture.grant.calls()).isEqualTo(2);
        assertThat(policy.acquireToken().value().reveal()).isEqualTo(ScriptedGrant.access(2));
    }

    @Test
    @DisplayName("Once the token has expired, callers fail fast with a retryable exception until the backoff passes")
    void shouldFailFastDuringBackoffOnceExpired() {
        TokenRefreshPolicy policy = policyWithBackoff();
        fixture.grant.thenFail(unavailable(Duration.ofSeconds(10)));

        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(policy::acquireToken)
                    .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
                        assertThat(e.getMessage()).contains("backing off");
                    });
        }
        assertThat(fixture.grant.calls()).isEqualTo(1);

        fixture.clock.advance(Duration.ofSeconds(10));
        assertThat(policy.acquireToken().value().reveal()).isEqualTo(ScriptedGrant.access(2));
        assertThat(fixture.grant.calls()).isEqualTo(2);
    }

    @Test
    @DisplayName("A protocol error keeps the current token in place and backs off like an outage")
    void shouldKeepTheTokenOnProtocolError() {
        fixture.seed("token-1", Duration.ofHours(1));
        List<RefreshFailedEvent> failures = new CopyOnWriteArrayList<>();
        TokenRefreshPolicy policy = policyWithBackoff();
        policy.getEventPublisher().onRefreshFailed(failures::add);
        fixture.grant.thenFail(new TokenEndpointProtocolException("not JSON", 200, null));

        fixture.clock.advance(Duration.ofMinutes(55));

        assertThat(policy.acquireToken().value().reveal()).isEqualTo("token-1");
        assertThat(failures).singleElement()
                .satisfies(event -> assertThat(event.getOutcome()).isEqualTo(RefreshOutcome.PROTOCOL_ERROR));
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(fixture.grant.calls()).isEqualTo(2);
    }

    @Test
    @DisplayName("A refresh that outlasts the timeout fails the waiters, yet its late answer is stored")
    void shouldStoreALateAnswerAfterTheWaitersTimedOut() {
        TokenRefreshPolicy policy = fixture.policy(fixture.config().refreshTimeout(Duration.ofSeconds(5)).build());
        fixture.grant.hold();

        var waiting = policy.acquireTokenAsync();
        fixture.clock.advance(Duration.ofSeconds(5));
        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("did not answer within PT5S");

        // Meanwhile callers fail fast instead of starting a second exchange with the same refresh token.
        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        assertThat(fixture.grant.calls()).isEqualTo(1);

        fixture.grant.release();
        assertThat(fixture.store.load("orders").orElseThrow().refreshToken()).contains(Secret.of("refresh-1"));
        assertThat(policy.acquireToken().value().reveal()).isEqualTo(ScriptedGrant.access(1));
    }

    @Test
    @DisplayName("A grant that throws instead of failing its stage is a transient failure, not a crash")
    void shouldTreatAThrowingGrantAsTransient() {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("odd", fixture.config().build(), request -> {
            throw new IllegalStateException("grant bug");
        });

        assertThatThrownBy(policy::acquireToken)
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("grant failed unexpectedly")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("Tokens supplied while a timed-out refresh still runs: rejecting them fails fast, no second exchange")
    void shouldFailFastWhenSuppliedTokensMeetATimedOutRefresh() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy(fixture.config().refreshTimeout(Duration.ofSeconds(5)).build());
        fixture.grant.hold();
        var stuck = policy.refreshAfterRejectionAsync(policy.acquireToken());
        fixture.clock.advance(Duration.ofSeconds(5));
        assertThat(stuck).isCompletedExceptionally();

        Instant now = fixture.clock.instant();
        policy.supplyTokens(TokenSet.builder().accessToken("after-login").refreshToken("new-refresh")
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).build());
        AccessToken supplied = policy.acquireToken();
        var replacement = policy.refreshAfterRejectionAsync(supplied);

        assertThat(replacement).isCompletedExceptionally();
        assertThat(catchThrowable(replacement::join)).cause()
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("did not answer within PT5S");
        assertThat(fixture.grant.calls()).isEqualTo(1);

        // Once the old exchange ends, the supplied tokens are refreshed with their own refresh token.
        fixture.grant.release();
        assertThat(policy.refreshAfterRejection(supplied).value().reveal()).isEqualTo(ScriptedGrant.access(2));
        assertThat(fixture.grant.requests().get(1).current().orElseThrow().refreshToken())
                .contains(Secret.of("new-refresh"));
    }

    @Test
    @DisplayName("A caller that looked for a backoff just before a refresh failed does not ask the endpoint again")
    void shouldNotStartASecondRefreshRightAfterOneFailed() {
        // Another caller's refresh runs, and fails, between this caller's backoff check and its claim of the flight.
        AtomicReference<Runnable> onNextRead = new AtomicReference<>();
        Clock interleaving = new Clock() {
            @Override
            public Instant instant() {
                Runnable between = onNextRead.getAndSet(null);
                if (between != null) {
                    between.run();
                }
                return fixture.clock.instant();
            }

            @Override
            public ZoneId getZone() {
                return fixture.clock.getZone();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", fixture.config().clock(interleaving)
                .backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60)).build(), fixture.grant, fixture.store);
        fixture.grant.thenFail(unavailable(Duration.ofSeconds(10)));
        AtomicReference<CompletableFuture<AccessToken>> first = new AtomicReference<>();
        onNextRead.set(() -> first.set(policy.acquireTokenAsync()));

        CompletableFuture<AccessToken> second = policy.acquireTokenAsync();

        assertThat(first.get()).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(catchThrowable(second::join)).cause()
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("backing off");
        assertThat(fixture.grant.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("A scheduler refusing timers does not wedge a refresh: callers get its outcome, later ones refresh")
    void shouldKeepWorkingWhenTheSchedulerRefusesTimers() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = policyWithBackoff();
        AccessToken first = policy.acquireToken();
        fixture.scheduler.shutdownNow();
        fixture.grant.thenFail(unavailable(null));

        var failing = policy.refreshAfterRejectionAsync(first);

        assertThat(failing).isCompletedExceptionally();
        assertThat(catchThrowable(failing::join)).cause()
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(policy.refreshAfterRejection(first).value().reveal()).isEqualTo(ScriptedGrant.access(2));
        assertThat(fixture.grant.calls()).isEqualTo(2);
    }

    @Test
    @DisplayName("64 threads hammering an expired token while its refresh fails make exactly one endpoint call")
    void shouldCallTheEndpointOnceWhileSixtyFourThreadsRaceAFailure() throws Exception {
        TokenRefreshPolicy policy = policyWithBackoff();
        fixture.grant.thenFail(unavailable(Duration.ofSeconds(10)));
        ExecutorService threads = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            callers.add(threads.submit(() -> {
                start.await();
                for (int call = 0; call < 200; call++) {
                    try {
                        policy.acquireTokenAsync().join();
                    } catch (RuntimeException expected) {
                        // The refresh failed, or the caller failed fast during its backoff.
                    }
                }
                return null;
            }));
        }

        start.countDown();
        for (Future<?> caller : callers) {
            caller.get(10, TimeUnit.SECONDS);
        }
        threads.shutdownNow();

        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThatThrownBy(policy::acquireToken).hasMessageContaining("backing off");
    }
}
