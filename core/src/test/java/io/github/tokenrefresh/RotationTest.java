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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RotationTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
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
        TokenStore noLeases = new TokenStore() {
            @Override
            public Optional<TokenSet> load(String name) {
                return shared.load(name);
            }

            @Override
            public boolean compareAndSet(String name, long expectedVersion, TokenSet next) {
                return shared.compareAndSet(name, expectedVersion, next);
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
}
