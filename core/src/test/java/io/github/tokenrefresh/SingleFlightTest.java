package io.github.tokenrefresh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SingleFlightTest {

    private static final int CALLERS = 64;

    private final PolicyFixture fixture = new PolicyFixture();
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void tearDown() throws Exception {
        callers.shutdownNow();
        fixture.close();
    }

    private void seedExpired() {
        Instant now = fixture.clock.instant();
        fixture.store.compareAndSet("orders", 0, TokenSet.builder()
                .accessToken("expired-token")
                .refreshToken("refresh-0")
                .issuedAt(now.minus(Duration.ofHours(2)))
                .expiresAt(now.minus(Duration.ofHours(1)))
                .version(1)
                .build());
    }

    @Test
    @DisplayName("64 threads calling with an expired token share exactly one refresh and all get its token")
    void shouldRefreshOnceForSixtyFourBlockedCallers() throws Exception {
        seedExpired();
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();
        CountDownLatch start = new CountDownLatch(1);

        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            results.add(callers.submit(() -> {
                start.await();
                return policy.executeSupplier(token -> token.value().reveal());
            }));
        }
        start.countDown();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> policy.getMetrics().getNumberOfCoalescedCallers() == CALLERS - 1);
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(results).noneMatch(Future::isDone);

        fixture.grant.release();
        for (Future<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
        }
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsAfterRefresh()).isEqualTo(CALLERS);
        assertThat(fixture.grant.requests().get(0).trigger()).isEqualTo(RefreshTrigger.PROACTIVE);
    }

    @Test
    @DisplayName("The first calls of a policy without tokens share one initial refresh")
    void shouldShareTheInitialRefresh() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();

        List<CompletableFuture<AccessToken>> tokens = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            tokens.add(policy.acquireTokenAsync());
        }
        assertThat(tokens).noneMatch(CompletableFuture::isDone);
        fixture.grant.release();

        for (CompletableFuture<AccessToken> token : tokens) {
            assertThat(token.get(10, TimeUnit.SECONDS).value().reveal()).isEqualTo(ScriptedGrant.access(1));
        }
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(fixture.grant.requests().get(0).trigger()).isEqualTo(RefreshTrigger.INITIAL);
    }

    @Test
    @DisplayName("A caller reporting a token another caller already replaced gets the new token without a refresh")
    void shouldReplayWithTheNewerTokenWhenTheRejectedOneWasAlreadyReplaced() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        AccessToken first = policy.acquireToken();

        AccessToken second = policy.refreshAfterRejection(first);
        AccessToken late = policy.refreshAfterRejection(first);

        assertThat(second.value().reveal()).isEqualTo(ScriptedGrant.access(1));
        assertThat(late).isSameAs(second);
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(fixture.grant.requests().get(0).trigger()).isEqualTo(RefreshTrigger.REACTIVE);
    }

    @Test
    @DisplayName("64 threads whose requests were all rejected with the same token cause exactly one refresh")
    void shouldRefreshOnceForSixtyFourConcurrentRejections() throws Exception {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();
        AtomicInteger rejections = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);

        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            results.add(callers.submit(() -> {
                start.await();
                return policy.executeSupplier(token -> {
                    if (token.value().reveal().equals("token-1")) {
                        rejections.incrementAndGet();
                        throw new TokenRejectedException("401 invalid_token");
                    }
                    return token.value().reveal();
                });
            }));
        }
        start.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> rejections.get() == CALLERS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policy.getMetrics().getNumberOfCoalescedCallers() == CALLERS - 1);
        fixture.grant.release();

        for (Future<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
        }
        assertThat(fixture.grant.calls()).isEqualTo(1);
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(CALLERS);
    }

    @Test
    @DisplayName("64 asynchronous callers with an expired token share one refresh and no caller thread blocks")
    void shouldServeAsynchronousCallersWithoutBlocking() throws Exception {
        seedExpired();
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();

        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            results.add(policy.executeCompletionStage(
                    token -> CompletableFuture.supplyAsync(() -> token.value().reveal(), callers))
                    .toCompletableFuture());
        }
        // Every call returned while the grant is still held: none of them waited for the refresh.
        assertThat(results).noneMatch(CompletableFuture::isDone);

        fixture.grant.release();
        for (CompletableFuture<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
        }
        assertThat(fixture.grant.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("A cancelled asynchronous caller does not cancel the refresh the others wait for")
    void shouldNotCancelTheSharedRefreshWhenOneCallerCancels() throws Exception {
        seedExpired();
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();

        CompletableFuture<AccessToken> impatient = policy.acquireTokenAsync();
        CompletableFuture<String> patient = policy.executeCompletionStage(
                token -> CompletableFuture.completedFuture(token.value().reveal())).toCompletableFuture();
        CompletableFuture<String> cancelledCall = policy.executeCompletionStage(
                token -> CompletableFuture.completedFuture(token.value().reveal())).toCompletableFuture();

        assertThat(impatient.cancel(true)).isTrue();
        assertThat(cancelledCall.cancel(true)).isTrue();
        fixture.grant.release();

        assertThat(patient.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
        assertThat(policy.acquireToken().value().reveal()).isEqualTo(ScriptedGrant.access(1));
        assertThat(fixture.grant.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("Cancelling an asynchronous call cancels the send in progress")
    void shouldCancelTheSendInProgress() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        CompletableFuture<String> send = new CompletableFuture<>();

        CompletableFuture<String> call = policy.executeCompletionStage(token -> send).toCompletableFuture();
        call.cancel(true);

        assertThat(send).isCancelled();
    }

    @Test
    @DisplayName("An asynchronous call cancelled while waiting for a refresh counts once, as failed, and is never sent")
    void shouldCountACallCancelledWhileWaitingAsFailed() {
        seedExpired();
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();
        AtomicInteger sends = new AtomicInteger();

        CompletableFuture<String> call = policy.executeCompletionStage(token -> {
            sends.incrementAndGet();
            return CompletableFuture.completedFuture(token.value().reveal());
        }).toCompletableFuture();
        assertThat(call.cancel(true)).isTrue();
        fixture.grant.release();

        TokenRefreshPolicy.Metrics metrics = policy.getMetrics();
        assertThat(sends).hasValue(0);
        assertThat(metrics.getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfSuccessfulCallsWithoutRefresh() + metrics.getNumberOfSuccessfulCallsAfterRefresh()
                + metrics.getNumberOfReplayRefusedCalls()).isZero();
    }
}
