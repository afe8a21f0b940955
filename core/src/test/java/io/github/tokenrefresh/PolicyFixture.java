package io.github.tokenrefresh;

import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * Manual time and a store, shared by the policy tests. Refreshes start on the thread that triggers them (the grants
 * here never block), so a test knows a refresh has started the moment the triggering call returns.
 */
final class PolicyFixture implements AutoCloseable {

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final InMemoryTokenStore store = new InMemoryTokenStore(clock);
    final ScriptedGrant grant = new ScriptedGrant();

    TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom()
                .clock(clock)
                .scheduler(scheduler)
                .executor(Runnable::run)
                .refreshJitter(0.0);
    }

    TokenRefreshPolicy policy(TokenRefreshConfig config) {
        return TokenRefreshPolicy.of("orders", config, grant, store);
    }

    TokenRefreshPolicy policy() {
        return policy(config().build());
    }

    /** Seeds the store with a token issued now that lives for {@code lifetime}. */
    TokenSet seed(String accessToken, Duration lifetime) {
        Instant now = clock.instant();
        TokenSet tokens = TokenSet.builder()
                .accessToken(accessToken)
                .refreshToken("refresh-0")
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .version(1)
                .build();
        store.compareAndSet("orders", 0, tokens);
        return tokens;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
