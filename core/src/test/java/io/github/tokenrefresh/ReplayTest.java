package io.github.tokenrefresh;

import io.github.tokenrefresh.event.LoopGuardTrippedEvent;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.event.ReplayedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ReplayTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @BeforeEach
    void seed() {
        fixture.seed("token-1", Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** A request to a resource server that rejects every token in {@code rejected}, answering with a status. */
    private static final class Request implements AuthorizedCall<Integer, RuntimeException> {

        final List<String> rejected;
        final boolean replayable;
        final List<String> sentWith = new ArrayList<>();
        final List<Integer> discarded = new ArrayList<>();

        Request(boolean replayable, String... rejected) {
            this.replayable = replayable;
            this.rejected = List.of(rejected);
        }

        @Override
        public Integer send(AccessToken token, int replay) {
            sentWith.add(token.value().reveal());
            return rejected.contains(token.value().reveal()) ? 401 : 200;
        }

        @Override
        public boolean isTokenRejected(Integer status) {
            return status == 401;
        }

        @Override
        public boolean isReplayable() {
            return replayable;
        }

        @Override
        public void discard(Integer status) {
            discarded.add(status);
        }
    }

    @Test
    @DisplayName("A rejected response triggers one refresh and one replay; the rejected response is discarded")
    void shouldRefreshAndReplayOnce() {
        TokenRefreshPolicy policy = fixture.policy();
        List<ReplayedEvent> replays = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayed(replays::add);
        Request request = new Request(true, "token-1");

        assertThat(policy.execute(request)).isEqualTo(200);

        assertThat(request.sentWith).containsExactly("token-1", ScriptedGrant.access(1));
        assertThat(request.discarded).containsExactly(401);
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(replays).singleElement().satisfies(event -> assertThat(event.getReplay()).isEqualTo(1));
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsAfterRefresh()).isEqualTo(1);
    }

    @Test
    @DisplayName("A request that cannot be replayed returns the 401 to the caller, sends once, and says why")
    void shouldNotReplayANonReplayableRequest() {
        TokenRefreshPolicy policy = fixture.policy();
        List<ReplayRefusedEvent> refused = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refused::add);
        Request request = new Request(false, "token-1");

        assertThat(policy.execute(request)).isEqualTo(401);

        assertThat(request.sentWith).containsExactly("token-1");
        assertThat(request.discarded).isEmpty();
        assertThat(fixture.grant.calls()).isZero();
        assertThat(refused).singleElement()
                .satisfies(event -> assertThat(event.getReason()).isEqualTo(ReplayRefusal.NOT_REPLAYABLE));
        assertThat(policy.getMetrics().getNumberOfReplayRefusedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("A call rejected again after its replay gets the second 401: replays are limited")
    void shouldStopAfterTheReplayLimit() {
        TokenRefreshPolicy policy = fixture.policy();
        List<ReplayRefusedEvent> refused = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refused::add);
        Request request = new Request(true, "token-1", ScriptedGrant.access(1));

        assertThat(policy.execute(request)).isEqualTo(401);

        assertThat(request.sentWith).hasSize(2);
        assertThat(refused).singleElement()
                .satisfies(event -> assertThat(event.getReason()).isEqualTo(ReplayRefusal.REPLAY_LIMIT_REACHED));
    }

    @Test
    @DisplayName("A function signalling rejection by exception is replayed, and refused with an exception at the limit")
    void shouldReplayFunctionsThatThrowTokenRejected() {
        TokenRefreshPolicy policy = fixture.policy(fixture.config().maxReplays(2).build());
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> policy.executeSupplier(token -> {
            seen.add(token.value().reveal());
            throw new TokenRejectedException("401");
        })).isInstanceOfSatisfying(ReplayRefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(ReplayRefusal.REPLAY_LIMIT_REACHED);
            assertThat(e.getCause()).isInstanceOf(TokenRejectedException.class);
            assertThat(e.isRetryable()).isFalse();
        });
        assertThat(seen).containsExactly("token-1", ScriptedGrant.access(1), ScriptedGrant.access(2));
    }

    @Test
    @DisplayName("The loop guard trips after N refreshes on rejection in its window, then recovers")
    void shouldTripTheLoopGuard() {
        TokenRefreshPolicy policy = fixture.policy(fixture.config().loopGuard(3, Duration.ofSeconds(30)).build());
        List<LoopGuardTrippedEvent> trips = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onLoopGuardTripped(trips::add);
        AuthorizedCall<Integer, RuntimeException> alwaysRejected = new AuthorizedCall<>() {
            @Override
            public Integer send(AccessToken token, int replay) {
                return 401;
            }

            @Override
            public boolean isTokenRejected(Integer status) {
                return true;
            }
        };

        for (int i = 0; i < 3; i++) {
            assertThat(policy.execute(alwaysRejected)).isEqualTo(401);
        }
        assertThat(fixture.grant.calls()).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> policy.execute(alwaysRejected))
                    .isInstanceOfSatisfying(RefreshLoopException.class, e -> {
                        assertThat(e.refreshes()).isEqualTo(3);
                        assertThat(e.getMessage()).contains("rejected and refreshed 3 times within PT30S");
                    });
        }
        assertThat(fixture.grant.calls()).isEqualTo(3);
        assertThat(trips).hasSize(1);
        assertThat(policy.getMetrics().getNumberOfLoopGuardTrips()).isEqualTo(1);

        fixture.clock.advance(Duration.ofSeconds(30));
        assertThat(policy.execute(alwaysRejected)).isEqualTo(401);
        assertThat(fixture.grant.calls()).isEqualTo(4);
    }

    @Test
    @DisplayName("Proactive refreshes do not count towards the loop guard")
    void shouldNotCountProactiveRefreshes() {
        ScriptedGrant shortLived = new ScriptedGrant().lifetime(Duration.ofSeconds(2));
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("short", fixture.config()
                .loopGuard(1, Duration.ofMinutes(1)).build(), shortLived);

        policy.acquireToken();
        for (int i = 0; i < 20; i++) {
            fixture.clock.advance(Duration.ofSeconds(1));
        }

        assertThat(shortLived.calls()).isGreaterThan(10);
        assertThat(policy.getMetrics().getNumberOfLoopGuardTrips()).isZero();
        policy.close();
    }

    @Test
    @DisplayName("Asynchronous calls refresh and replay on a rejected response, discarding it")
    void shouldReplayAsynchronousCalls() {
        TokenRefreshPolicy policy = fixture.policy();
        List<Integer> discarded = new CopyOnWriteArrayList<>();
        AsyncAuthorizedCall<Integer> call = new AsyncAuthorizedCall<>() {
            @Override
            public CompletionStage<Integer> send(AccessToken token, int replay) {
                return CompletableFuture.supplyAsync(() -> token.value().reveal().equals("token-1") ? 401 : 200);
            }

            @Override
            public boolean isTokenRejected(Integer status) {
                return status == 401;
            }

            @Override
            public void discard(Integer status) {
                discarded.add(status);
            }
        };

        assertThat(policy.executeAsync(call).join()).isEqualTo(200);
        assertThat(discarded).containsExactly(401);
        assertThat(fixture.grant.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("An asynchronous non-replayable call gets its 401 back without a refresh")
    void shouldNotReplayNonReplayableAsynchronousCalls() {
        TokenRefreshPolicy policy = fixture.policy();
        AsyncAuthorizedCall<Integer> call = new AsyncAuthorizedCall<>() {
            @Override
            public CompletionStage<Integer> send(AccessToken token, int replay) {
                return CompletableFuture.completedFuture(401);
            }

            @Override
            public boolean isTokenRejected(Integer status) {
                return true;
            }

            @Override
            public boolean isReplayable() {
                return false;
            }
        };

        assertThat(policy.executeAsync(call).join()).isEqualTo(401);
        assertThat(fixture.grant.calls()).isZero();
        assertThat(policy.getMetrics().getNumberOfReplayRefusedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("A response that arrives after the caller cancelled is released, not dropped")
    void shouldDiscardAResponseTheCancelledCallerWillNeverRead() {
        TokenRefreshPolicy policy = fixture.policy();
        List<Integer> discarded = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> lateAnswer = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                // The exchange had already produced its answer when the cancel reached it.
                return false;
            }
        };
        AsyncAuthorizedCall<Integer> call = new AsyncAuthorizedCall<>() {
            @Override
            public CompletionStage<Integer> send(AccessToken token, int replay) {
                return lateAnswer;
            }

            @Override
            public void discard(Integer status) {
                discarded.add(status);
            }
        };

        CompletableFuture<Integer> result = policy.executeAsync(call);
        result.cancel(true);
        lateAnswer.complete(200);

        assertThat(result).isCancelled();
        assertThat(discarded).containsExactly(200);
    }

    @Test
    @DisplayName("A failed refresh during a replay still discards the rejected response and fails the call")
    void shouldDiscardTheRejectedResponseWhenTheRefreshFails() {
        fixture.grant.thenFail(new TokenEndpointUnavailableException("HTTP 503", 503, null, null));
        TokenRefreshPolicy policy = fixture.policy();
        Request request = new Request(true, "token-1");

        assertThatThrownBy(() -> policy.execute(request)).isInstanceOf(TokenEndpointUnavailableException.class);

        assertThat(request.discarded).containsExactly(401);
        assertThat(policy.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} throws")
    @ValueSource(strings = {"isTokenRejected", "isReplayable", "discard"})
    @DisplayName("An asynchronous call whose adapter callback throws fails with that exception instead of never ending")
    void shouldFailAnAsynchronousCallWhoseCallbackThrows(String throwing) {
        TokenRefreshPolicy policy = fixture.policy();
        IllegalStateException bug = new IllegalStateException("adapter bug in " + throwing);
        AsyncAuthorizedCall<Integer> call = new AsyncAuthorizedCall<>() {
            @Override
            public CompletionStage<Integer> send(AccessToken token, int replay) {
                return CompletableFuture.completedFuture(token.value().reveal().equals("token-1") ? 401 : 200);
            }

            @Override
            public boolean isTokenRejected(Integer status) {
                failIf("isTokenRejected");
                return status == 401;
            }

            @Override
            public boolean isReplayable() {
                failIf("isReplayable");
                return true;
            }

            @Override
            public void discard(Integer status) {
                failIf("discard");
            }

            private void failIf(String callback) {
                if (callback.equals(throwing)) {
                    throw bug;
                }
            }
        };

        CompletableFuture<Integer> result = policy.executeAsync(call);

        // Everything above completes synchronously (completed sends, a grant that answers at once).
        assertThat(result).isCompletedExceptionally();
        assertThat(catchThrowable(result::join)).hasCause(bug);
        assertThat(policy.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsWithoutRefresh()
                + policy.getMetrics().getNumberOfSuccessfulCallsAfterRefresh()
                + policy.getMetrics().getNumberOfReplayRefusedCalls()).isZero();
    }
}
