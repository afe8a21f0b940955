package io.github.tokenrefresh;

import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.store.RefreshLease;
import io.github.tokenrefresh.store.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RotationTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    @DisplayName("The store write after an answer runs on the policy's executor, not on the thread that answered")
    void shouldHandleTheAnswerOnThePolicysExecutor() throws Exception {
        List<String> writers = new CopyOnWriteArrayList<>();
        InMemoryTokenStore memory = new InMemoryTokenStore(fixture.clock);
        TokenStore recording = new ForwardingTokenStore(memory) {
            @Override
            public boolean compareAndSet(String name, long expectedVersion, TokenSet next) {
                writers.add(Thread.currentThread().getName());
                return super.compareAndSet(name, expectedVersion, next);
            }
        };
        ExecutorService refreshThreads = Executors.newSingleThreadExecutor(task -> new Thread(task, "refresher"));
        ExecutorService ioThread = Executors.newSingleThreadExecutor(task -> new Thread(task, "io-thread"));
        TokenGrant answeredOnIoThread = request -> CompletableFuture.supplyAsync(
                () -> TokenResponse.builder(Secret.of("access-io")).expiresIn(Duration.ofHours(1)).build(), ioThread);
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", fixture.config().executor(refreshThreads).build(),
                answeredOnIoThread, recording);

        assertThat(policy.acquireToken().value().reveal()).isEqualTo("access-io");

        assertThat(writers).containsExactly("refresher");
        refreshThreads.shutdownNow();
        ioThread.shutdownNow();
    }

    @Test
    @DisplayName("A token response without a refresh token keeps the current refresh token")
    void shouldKeepTheRefreshTokenWhenNoneIsReturned() {
        fixture.seed("token-1", Duration.ofHours(1));
        fixture.grant.rotate(false);
        TokenRefreshPolicy policy = fixture.policy();

        policy.refreshAfterRejection(policy.acquireToken());

        TokenSet stored = fixture.store.load("orders").orElseThrow();
        assertThat(stored.refreshToken()).contains(Secret.of("refresh-0"));
        assertThat(stored.version()).isEqualTo(2);
        assertThat(fixture.grant.requests().get(0).current().orElseThrow().refreshToken())
                .contains(Secret.of("refresh-0"));
    }

    @Test
    @DisplayName("A rotated refresh token is in the store before any caller receives the new access token")
    void shouldStoreTheRotatedRefreshTokenBeforeHandingOutTheAccessToken() throws Exception {
        Duration expired = Duration.ofMillis(1);
        fixture.seed("token-1", expired);
        fixture.clock.advance(Duration.ofSeconds(1));
        TokenRefreshPolicy policy = fixture.policy();
        fixture.grant.hold();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<CompletableFuture<Optional<Secret>>> seenInStore = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            seenInStore.add(CompletableFuture.supplyAsync(() -> policy.executeSupplier(
                    token -> fixture.store.load("orders").flatMap(TokenSet::refreshToken)), callers));
        }

        fixture.grant.release();

        for (CompletableFuture<Optional<Secret>> seen : seenInStore) {
            assertThat(seen.get(10, TimeUnit.SECONDS)).contains(Secret.of("refresh-1"));
        }
        callers.shutdownNow();
    }

    @Test
    @DisplayName("Of two writers refreshing from one version, the stale compare-and-set loses and adopts the winner")
    void shouldLetTheStaleCompareAndSetLose() {
        InMemoryTokenStore shared = new InMemoryTokenStore(fixture.clock);
        TokenStore noLeases = new ForwardingTokenStore(shared) {
            @Override
            public Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
                return Optional.of(RefreshLease.UNSHARED);
            }
        };
        shared.compareAndSet("orders", 0, TokenSet.builder().accessToken("token-1").refreshToken("refresh-0")
                .version(1).build());
        ScriptedGrant first = new ScriptedGrant().hold();
        ScriptedGrant second = new ScriptedGrant().hold();
        TokenRefreshConfig config = fixture.config().build();
        TokenRefreshPolicy a = TokenRefreshPolicy.of("orders", config, first, noLeases);
        TokenRefreshPolicy b = TokenRefreshPolicy.of("orders", config, second, noLeases);

        CompletableFuture<AccessToken> fromA = a.refreshAfterRejectionAsync(a.acquireToken());
        CompletableFuture<AccessToken> fromB = b.refreshAfterRejectionAsync(b.acquireToken());
        first.release();
        second.release();

        assertThat(fromA.join().value().reveal()).isEqualTo("access-1");
        assertThat(fromB.join().value().reveal()).isEqualTo("access-1");
        assertThat(shared.load("orders").orElseThrow().version()).isEqualTo(2);
        assertThat(b.currentTokens().orElseThrow().refreshToken()).contains(Secret.of("refresh-1"));
    }

    @Test
    @DisplayName("Two policies sharing a leasing store refresh once between them: the other adopts the stored result")
    void shouldRefreshOnceAcrossPoliciesSharingALeasingStore() {
        fixture.seed("token-1", Duration.ofHours(1));
        ScriptedGrant first = new ScriptedGrant().hold();
        ScriptedGrant second = new ScriptedGrant();
        TokenRefreshConfig config = fixture.config().build();
        TokenRefreshPolicy a = TokenRefreshPolicy.of("orders", config, first, fixture.store);
        TokenRefreshPolicy b = TokenRefreshPolicy.of("orders", config, second, fixture.store);

        CompletableFuture<AccessToken> fromA = a.refreshAfterRejectionAsync(a.acquireToken());
        CompletableFuture<AccessToken> fromB = b.refreshAfterRejectionAsync(b.acquireToken());
        assertThat(fromB).isNotDone();
        first.release();
        fixture.clock.advance(Duration.ofMillis(100));

        assertThat(fromA.join().value().reveal()).isEqualTo("access-1");
        assertThat(fromB.join().value().reveal()).isEqualTo("access-1");
        assertThat(first.calls() + second.calls()).isEqualTo(1);
        Optional<RefreshLease> lease = fixture.store.tryAcquireLease("orders", Duration.ofSeconds(1));
        assertThat(lease).as("the lease was released").isPresent();
    }

    @Test
    @DisplayName("A policy granted the lease right after its holder stored new tokens adopts them, spending nothing")
    void shouldAdoptTokensStoredJustBeforeTheLeaseWasGranted() {
        fixture.seed("token-1", Duration.ofHours(1));
        AtomicReference<Runnable> beforeNextLease = new AtomicReference<>();
        TokenStore store = new ForwardingTokenStore(fixture.store) {
            @Override
            public Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
                Runnable between = beforeNextLease.getAndSet(null);
                if (between != null) {
                    between.run();
                }
                return super.tryAcquireLease(name, timeToLive);
            }
        };
        ScriptedGrant first = new ScriptedGrant().hold();
        ScriptedGrant second = new ScriptedGrant();
        TokenRefreshConfig config = fixture.config().build();
        TokenRefreshPolicy a = TokenRefreshPolicy.of("orders", config, first, store);
        TokenRefreshPolicy b = TokenRefreshPolicy.of("orders", config, second, store);
        CompletableFuture<AccessToken> fromA = a.refreshAfterRejectionAsync(a.acquireToken());

        // A stores its tokens and gives the lease back after B looked into the store, before B asks for the lease.
        beforeNextLease.set(first::release);
        CompletableFuture<AccessToken> fromB = b.refreshAfterRejectionAsync(b.acquireToken());
        fixture.clock.advance(Duration.ofMillis(100));

        assertThat(fromA.join().value().reveal()).isEqualTo("access-1");
        assertThat(fromB.join().value().reveal()).isEqualTo("access-1");
        assertThat(second.requests()).as("refresh-0 was spent by A and must not be presented again").isEmpty();
        assertThat(fixture.store.tryAcquireLease("orders", Duration.ofSeconds(1))).as("B gave its lease back")
                .isPresent();
    }

    @Test
    @DisplayName("A lease that fails to release does not wedge a policy: callers get its outcome, later refreshes run")
    void shouldSurviveALeaseThatFailsToRelease() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenStore store = new ForwardingTokenStore(fixture.store) {
            @Override
            public Optional<RefreshLease> tryAcquireLease(String name, Duration timeToLive) {
                return Optional.of(() -> {
                    throw new IllegalStateException("lease store unreachable");
                });
            }
        };
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", fixture.config()
                .backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60)).build(), fixture.grant, store);
        fixture.grant.thenFail(new TokenEndpointUnavailableException("HTTP 503", 503, null, null));
        AccessToken first = policy.acquireToken();

        CompletableFuture<AccessToken> failing = policy.refreshAfterRejectionAsync(first);
        assertThat(failing).isCompletedExceptionally();
        assertThat(catchThrowable(failing::join)).cause().isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("HTTP 503");

        // The backoff's retry refreshes; the next rejection refreshes again and its caller gets the new token.
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(fixture.grant.calls()).isEqualTo(2);
        AccessToken second = policy.acquireToken();
        assertThat(second.value().reveal()).isEqualTo(ScriptedGrant.access(2));
        CompletableFuture<AccessToken> third = policy.refreshAfterRejectionAsync(second);
        assertThat(third.join().value().reveal()).isEqualTo(ScriptedGrant.access(3));
    }

    @Test
    @DisplayName("A policy that must wait for another holder's lease fails its callers if no timer can be scheduled")
    void shouldFailRatherThanWaitForeverWhenTheLeaseCannotBePolled() {
        fixture.seed("token-1", Duration.ofHours(1));
        ScriptedGrant first = new ScriptedGrant().hold();
        ScriptedGrant second = new ScriptedGrant();
        TokenRefreshConfig config = fixture.config().build();
        TokenRefreshPolicy a = TokenRefreshPolicy.of("orders", config, first, fixture.store);
        TokenRefreshPolicy b = TokenRefreshPolicy.of("orders", config, second, fixture.store);
        CompletableFuture<AccessToken> fromA = a.refreshAfterRejectionAsync(a.acquireToken());
        fixture.scheduler.shutdownNow();

        CompletableFuture<AccessToken> fromB = b.refreshAfterRejectionAsync(b.acquireToken());

        assertThat(fromB).isCompletedExceptionally();
        assertThat(catchThrowable(fromB::join)).cause().isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("refused the timer");
        assertThat(second.calls()).isZero();
        first.release();
        assertThat(fromA.join().value().reveal()).isEqualTo("access-1");
    }
}
