package io.github.tokenrefresh.failsafe;

import dev.failsafe.Call;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Fallback;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.ReplayRefusedException;
import io.github.tokenrefresh.ScriptedGrant;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRejectedException;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.failsafe.InMemoryResource.Reply;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Failsafe {@link TokenPolicy} composed with Failsafe's own policies, each test named for its order (outermost
 * first). The resource is in memory here; the examples module runs the same orders over real HTTP.
 */
class TokenPolicyCompositionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryTokenStore store = new InMemoryTokenStore(clock);
    private final ScriptedGrant grant = new ScriptedGrant();
    private final InMemoryResource resource = new InMemoryResource();
    private final ScheduledExecutorService failsafeThreads = Executors.newScheduledThreadPool(2);
    private final AtomicInteger retries = new AtomicInteger();

    @AfterEach
    void tearDown() {
        failsafeThreads.shutdownNow();
        scheduler.shutdownNow();
    }

    private TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom().clock(clock).scheduler(scheduler).executor(Runnable::run)
                .refreshJitter(0.0);
    }

    /** A policy holding {@code token-1}, valid for an hour. */
    private TokenRefreshPolicy seededPolicy() {
        Instant now = clock.instant();
        store.compareAndSet("orders", 0, TokenSet.builder().accessToken("token-1").refreshToken("refresh-0")
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).version(1).build());
        return TokenRefreshPolicy.of("orders", config().build(), grant, store);
    }

    /** The recommended retry: transient token failures and the resource's I/O errors, never a terminal one. */
    private RetryPolicy<Reply> retryPolicy() {
        return RetryPolicy.<Reply>builder()
                .handleIf(TokenFailures.retryOn(IOException.class::isInstance)::test)
                .withMaxRetries(2)
                .onRetry(event -> retries.incrementAndGet())
                .build();
    }

    @Test
    void retryOutsideTokenPolicy_oneAttemptCoversRefreshAndReplay() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        resource.revoke("token-1");

        Reply reply = Failsafe.with(retryPolicy(), tokenPolicy).get(tokenPolicy.withToken(resource::call));

        assertThat(reply).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
        assertThat(resource.tokensSeen()).containsExactly("token-1", ScriptedGrant.access(1));
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(retries).hasValue(0);
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(1);
    }

    @Test
    void retryOutsideTokenPolicy_retriesTheResourcesIoErrorWithTheSameToken() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        resource.failWithIo(1);

        Reply reply = Failsafe.with(retryPolicy(), tokenPolicy).get(tokenPolicy.withToken(resource::call));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(resource.tokensSeen()).containsExactly("token-1", "token-1");
        assertThat(retries).hasValue(1);
        assertThat(grant.calls()).as("an I/O error is no rejection and costs no refresh").isZero();
    }

    @Test
    void retryOutsideTokenPolicy_async_oneAttemptCoversRefreshAndReplay() throws Exception {
        TokenRefreshPolicy policy = seededPolicy();
        List<Integer> replayedAtAttempt = new CopyOnWriteArrayList<>();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.<Reply>builder(policy)
                .onReplay(event -> replayedAtAttempt.add(event.getAttemptCount()))
                .build();
        resource.revoke("token-1");
        FailsafeExecutor<Reply> failsafe = Failsafe.with(retryPolicy(), tokenPolicy).with(failsafeThreads);

        Reply staged = failsafe.getStageAsync(tokenPolicy.withTokenAsync(resource::callAsync))
                .get(5, TimeUnit.SECONDS);
        Reply supplied = failsafe.getAsync(tokenPolicy.withToken(resource::call)).get(5, TimeUnit.SECONDS);

        assertThat(staged).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
        assertThat(supplied).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
        assertThat(resource.tokensSeen()).containsExactly("token-1", ScriptedGrant.access(1),
                ScriptedGrant.access(1));
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(retries).hasValue(0);
        assertThat(replayedAtAttempt).containsExactly(1);
    }

    @Test
    void tokenPolicyOutsideRetry_retriesTheRejectedTokenBeforeRefreshing() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        RetryPolicy<Reply> retryEverything = RetryPolicy.<Reply>builder().withMaxRetries(2)
                .onRetry(event -> retries.incrementAndGet()).build();
        resource.revoke("token-1");

        Reply reply = Failsafe.with(tokenPolicy, retryEverything).get(tokenPolicy.withToken(resource::call));

        // The wrong order works, but wastes the retry budget on a token that can only be rejected again.
        assertThat(reply.status()).isEqualTo(200);
        assertThat(resource.tokensSeen()).containsExactly("token-1", "token-1", "token-1", ScriptedGrant.access(1));
        assertThat(retries).hasValue(2);
        assertThat(grant.calls()).isEqualTo(1);
    }

    @Test
    void circuitBreakerOutsideRetry_aReplayedCallCountsOnceAsASuccess() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        CircuitBreaker<Reply> breaker = CircuitBreaker.<Reply>builder()
                .handleIf(TokenFailures.recordOn(IOException.class::isInstance)::test)
                .build();
        resource.revoke("token-1");

        Reply reply = Failsafe.with(breaker, retryPolicy(), tokenPolicy).get(tokenPolicy.withToken(resource::call));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(breaker.getExecutionCount()).isEqualTo(1);
        assertThat(breaker.getSuccessCount()).isEqualTo(1);
        assertThat(breaker.getFailureCount()).isZero();
    }

    @Test
    void circuitBreakerOutsideRetry_terminalTokenFailureIsNeitherRetriedNorOpensTheBreaker() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        CircuitBreaker<Reply> breaker = CircuitBreaker.<Reply>builder()
                .handleIf(TokenFailures.recordOn(failure -> true)::test)
                .withFailureThreshold(2)
                .build();
        resource.revoke("token-1");
        grant.thenFail(new ReauthenticationRequiredException("invalid_grant", "invalid_grant", null));
        FailsafeExecutor<Reply> failsafe = Failsafe.with(breaker, retryPolicy(), tokenPolicy);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> failsafe.get(tokenPolicy.withToken(resource::call)))
                    .isInstanceOf(ReauthenticationRequiredException.class);
        }

        assertThat(breaker.isClosed()).isTrue();
        assertThat(breaker.getFailureCount()).isZero();
        assertThat(retries).hasValue(0);
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(resource.tokensSeen()).containsExactly("token-1");
    }

    @Test
    void retryOutsideTokenPolicy_refusedReplayIsNotRetried() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        RetryPolicy<Reply> retryAlmostEverything = RetryPolicy.<Reply>builder()
                .handleIf(TokenFailures.retryOn(failure -> true)::test)
                .withMaxRetries(3)
                .onRetry(event -> retries.incrementAndGet())
                .build();
        resource.rejectEveryToken();

        assertThatThrownBy(() -> Failsafe.with(retryAlmostEverything, tokenPolicy)
                .get(tokenPolicy.withToken(resource::call)))
                .isInstanceOf(ReplayRefusedException.class)
                .hasCauseInstanceOf(TokenRejectedException.class);

        assertThat(retries).hasValue(0);
        assertThat(resource.tokensSeen()).containsExactly("token-1", ScriptedGrant.access(1));
        assertThat(grant.calls()).isEqualTo(1);
    }

    @Test
    void retryOutsideTokenPolicy_transientTokenEndpointOutageIsRetried() {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders",
                config().backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1)).build(), grant, store);
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        grant.thenFail(new TokenEndpointUnavailableException("HTTP 503", 503, null, null));
        RetryPolicy<Reply> retry = RetryPolicy.<Reply>builder()
                .handleIf(TokenFailures.retryOn(IOException.class::isInstance)::test)
                .withMaxRetries(2)
                // The policy's clock is manual: let each retry wait out the policy's one-second backoff.
                .onFailedAttempt(event -> clock.advance(Duration.ofSeconds(1)))
                .onRetry(event -> retries.incrementAndGet())
                .build();

        Reply reply = Failsafe.with(retry, tokenPolicy).get(tokenPolicy.withToken(resource::call));

        assertThat(reply).isEqualTo(new Reply(200, ScriptedGrant.access(2)));
        assertThat(retries).hasValue(1);
        assertThat(grant.calls()).isEqualTo(2);
    }

    @Test
    void fallbackOutsideRetry_rejectedResultThatCannotBeReplayedReachesTheFallback() {
        TokenRefreshPolicy policy = seededPolicy();
        List<Reply> failures = new CopyOnWriteArrayList<>();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.<Reply>builder(policy)
                .handleResultIf(InMemoryResource::unauthorized)
                .onFailure(event -> failures.add(event.getResult()))
                .build();
        Fallback<Reply> fallback = Fallback.<Reply>builder(new Reply(503, "fallback"))
                .handleResultIf(InMemoryResource::unauthorized)
                .build();
        resource.rejectEveryToken();

        Reply reply = Failsafe.with(fallback, retryPolicy(), tokenPolicy).get(tokenPolicy.withToken(resource::reply));

        assertThat(reply).isEqualTo(new Reply(503, "fallback"));
        assertThat(failures).containsExactly(new Reply(401, ScriptedGrant.access(1)));
        assertThat(resource.tokensSeen()).containsExactly("token-1", ScriptedGrant.access(1));
        assertThat(retries).hasValue(0);
        assertThat(policy.getMetrics().getNumberOfReplayRefusedCalls()).isEqualTo(1);
    }

    @Test
    void timeoutOutsideTokenPolicy_async_timesOutTheCallerButNotTheSharedRefresh() throws Exception {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config().build(), grant, store);
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        grant.hold();

        CompletableFuture<Reply> timedOut = Failsafe.with(Timeout.<Reply>of(Duration.ofMillis(100)), tokenPolicy)
                .with(failsafeThreads).getAsync(tokenPolicy.withToken(resource::call));

        assertThatThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TimeoutExceededException.class);
        grant.release();
        assertThat(policy.acquireTokenAsync().get(5, TimeUnit.SECONDS).value().reveal())
                .isEqualTo(ScriptedGrant.access(1));
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(resource.tokensSeen()).isEmpty();
    }

    @Test
    @DisplayName("An async execution timed out while waiting for a refresh never sends, even if the refresh ends then")
    void timeoutOutsideTokenPolicy_async_neverSendsAfterTheCallerWasToldItTimedOut() throws Exception {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config().build(), grant, store);
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        grant.hold();

        CompletableFuture<Reply> timedOut = Failsafe.with(Timeout.<Reply>of(Duration.ofMillis(100)), tokenPolicy)
                .with(failsafeThreads).getAsync(tokenPolicy.withToken(resource::call));
        // The refresh ends the moment the caller learns of the timeout, on the thread that tells it.
        CompletableFuture<Reply> told = timedOut.whenComplete((reply, failure) -> grant.release());

        assertThatThrownBy(() -> told.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(policy.acquireTokenAsync().get(5, TimeUnit.SECONDS).value().reveal())
                .isEqualTo(ScriptedGrant.access(1));
        assertThat(resource.tokensSeen()).isEmpty();
        assertThat(policy.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("Cancelling one async execution while it waits for a refresh leaves the refresh to the others")
    void asyncCancellation_doesNotCancelTheRefreshOthersShare() throws Exception {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config().build(), grant, store);
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        FailsafeExecutor<Reply> failsafe = Failsafe.with(retryPolicy(), tokenPolicy).with(failsafeThreads);
        grant.hold();

        CompletableFuture<Reply> cancelled = failsafe.getAsync(tokenPolicy.withToken(resource::call));
        CompletableFuture<Reply> kept = failsafe.getStageAsync(tokenPolicy.withTokenAsync(resource::callAsync));
        await().atMost(WAIT).until(() -> policy.getMetrics().getNumberOfCoalescedCallers() == 1);

        assertThat(cancelled.cancel(true)).isTrue();
        grant.release();

        assertThat(kept.get(5, TimeUnit.SECONDS)).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
        assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(resource.tokensSeen()).containsExactly(ScriptedGrant.access(1));
    }

    @Test
    @DisplayName("Cancelling a Call with interrupt while it waits for a refresh ends the call, not the refresh")
    void syncCancellation_endsTheWaitButNotTheRefresh() throws Exception {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config().build(), grant, store);
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        grant.hold();
        AtomicReference<Call<Reply>> call = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            // Failsafe interrupts the thread that created the Call, so the caller creates it.
            call.set(Failsafe.with(retryPolicy(), tokenPolicy).newCall(tokenPolicy.withToken(resource::call)));
            try {
                call.get().execute();
            } catch (RuntimeException e) {
                failure.set(e);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        await().atMost(WAIT).until(() -> grant.calls() == 1 && caller.getState() == Thread.State.TIMED_WAITING);

        assertThat(call.get().cancel(true)).isTrue();
        caller.join(5000);

        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        assertThat(interruptedAfter.get()).as("Failsafe's own interrupt is cleared").isFalse();
        assertThat(retries).hasValue(0);
        grant.release();
        assertThat(policy.acquireTokenAsync().get(5, TimeUnit.SECONDS).value().reveal())
                .isEqualTo(ScriptedGrant.access(1));
        assertThat(grant.calls()).isEqualTo(1);
        assertThat(resource.tokensSeen()).isEmpty();
    }

    @Test
    @DisplayName("32 threads whose token is rejected at once share one refresh inside their Failsafe chains")
    void shouldShareOneRefreshAcrossConcurrentExecutions() throws Exception {
        int threads = 32;
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        FailsafeExecutor<Reply> failsafe = Failsafe.with(retryPolicy(), tokenPolicy);
        CountDownLatch allRejected = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                replies.add(pool.submit(() -> failsafe.get(tokenPolicy.withToken(token -> {
                    if (token.value().reveal().equals("token-1")) {
                        allRejected.countDown();
                        allRejected.await(5, TimeUnit.SECONDS);
                        throw new TokenRejectedException("401");
                    }
                    return resource.call(token);
                }))));
            }
            for (Future<Reply> reply : replies) {
                assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(grant.calls()).isEqualTo(1);
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(threads);
        assertThat(retries).hasValue(0);
    }

    @Test
    @DisplayName("The policy's listeners hear of accepted tokens, replays and tokens that stayed rejected")
    void shouldTellItsListeners() {
        TokenRefreshPolicy policy = seededPolicy();
        List<String> heard = new CopyOnWriteArrayList<>();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.<Reply>builder(policy)
                .onSuccess(event -> heard.add("success " + event.getResult().status()))
                .onFailure(event -> heard.add("failure " + event.getException().getClass().getSimpleName()))
                .onReplay(event -> heard.add("replay after " + event.getLastException().getClass().getSimpleName()
                        + " at attempt " + event.getAttemptCount()))
                .build();
        FailsafeExecutor<Reply> failsafe = Failsafe.with(tokenPolicy);
        resource.revoke("token-1");

        failsafe.get(tokenPolicy.withToken(resource::call));
        resource.rejectEveryToken();
        assertThatThrownBy(() -> failsafe.get(tokenPolicy.withToken(resource::call)))
                .isInstanceOf(ReplayRefusedException.class);

        assertThat(heard).containsExactly(
                "replay after TokenRejectedException at attempt 1", "success 200",
                "replay after TokenRejectedException at attempt 1", "failure ReplayRefusedException");
        assertThat(grant.calls()).isEqualTo(2);
    }

    @Test
    @DisplayName("A condition from handle(...) makes an exception a rejection; other exceptions pass untouched")
    void shouldTreatOnlyConfiguredExceptionsAsRejections() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.<Reply>builder(policy)
                .handle(SecurityException.class)
                .build();
        AtomicInteger calls = new AtomicInteger();

        Reply reply = Failsafe.with(tokenPolicy).get(tokenPolicy.withToken(token -> {
            if (calls.incrementAndGet() == 1) {
                throw new SecurityException("the SDK's own way of saying 401");
            }
            return resource.call(token);
        }));
        assertThatThrownBy(() -> Failsafe.with(tokenPolicy).get(tokenPolicy.withToken(token -> {
            throw new IllegalStateException("not about the token");
        }))).isInstanceOf(IllegalStateException.class);

        assertThat(reply).isEqualTo(new Reply(200, ScriptedGrant.access(1)));
        assertThat(grant.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("The token is bound to an attempt only while it runs, and only for executors that include the policy")
    void shouldBindTheTokenToTheRunningAttemptOnly() {
        TokenRefreshPolicy policy = seededPolicy();
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(policy);
        AtomicReference<ExecutionContext<Reply>> seen = new AtomicReference<>();

        Reply reply = Failsafe.with(tokenPolicy).get(context -> {
            seen.set(context);
            return resource.call(tokenPolicy.token(context));
        });

        assertThat(reply.token()).isEqualTo("token-1");
        assertThatThrownBy(() -> tokenPolicy.token(seen.get()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("include this TokenPolicy");
        assertThatThrownBy(() -> Failsafe.with(retryPolicy()).get(tokenPolicy.withToken(resource::call)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("getAsyncExecution fails with a clear message instead of hanging")
    void shouldRefuseAsyncExecutions() {
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(seededPolicy());

        CompletableFuture<Reply> future = Failsafe.with(tokenPolicy).with(failsafeThreads)
                .getAsyncExecution(execution -> execution.recordResult(new Reply(200, "unused")));

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("getStageAsync");
    }

    @Test
    @DisplayName("The builder refuses null arguments, naming them")
    void shouldRejectNullArguments() {
        assertThatThrownBy(() -> TokenPolicy.builder(null)).hasMessageContaining("tokenRefreshPolicy");
        TokenPolicy<Reply> tokenPolicy = TokenPolicy.of(seededPolicy());
        assertThatThrownBy(() -> tokenPolicy.withToken(null)).hasMessageContaining("call");
        assertThatThrownBy(() -> tokenPolicy.token(null)).hasMessageContaining("context");
        assertThatThrownBy(() -> TokenPolicy.<Reply>builder(seededPolicy()).onReplay(null))
                .hasMessageContaining("listener");
    }
}
