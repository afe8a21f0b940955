package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenSet;

import java.time.Duration;
import java.time.Instant;

/**
 * When a token turns stale and expired under a config: each threshold is the config's margin capped by a fraction
 * of the token's lifetime, and the stale moment is pulled earlier by a random share of the jitter.
 */
final class Timeline {

    private static final Duration LONGEST_MILLIS = Duration.ofMillis(Long.MAX_VALUE);

    final Instant staleAt;
    final Instant expiredAt;

    private Timeline(Instant staleAt, Instant expiredAt) {
        this.staleAt = staleAt;
        this.expiredAt = expiredAt;
    }

    /**
     * Computes the thresholds of {@code tokens}.
     *
     * @param tokens the token set
     * @param installedAt when the policy took the tokens; the lifetime's start if the set has no issue time
     * @param config the thresholds
     * @param random a value in [0, 1) drawn for the jitter
     * @return the thresholds; both null when the token's expiry is unknown
     */
    static Timeline of(TokenSet tokens, Instant installedAt, TokenRefreshConfig config, double random) {
        Instant expiresAt = tokens.expiresAt().orElse(null);
        if (expiresAt == null) {
            return new Timeline(null, null);
        }
        Instant issuedAt = tokens.issuedAt().orElse(installedAt);
        long lifetimeMillis = millis(Duration.between(issuedAt, expiresAt));

        long staleMargin = Math.min(config.getStaleMargin().toMillis(),
                (long) (lifetimeMillis * config.getStaleFraction()));
        long jitter = (long) (staleMargin * config.getRefreshJitter() * random);
        long expiryMargin = Math.min(config.getExpiryMargin().toMillis(),
                (long) (lifetimeMillis * config.getExpiryFraction()));

        long staleLead = Math.min(lifetimeMillis, staleMargin + jitter);
        return new Timeline(expiresAt.minusMillis(staleLead), expiresAt.minusMillis(expiryMargin));
    }

    /** A lifetime in milliseconds: 0 if negative, and capped where it no longer fits (some 292 million years). */
    private static long millis(Duration lifetime) {
        if (lifetime.isNegative()) {
            return 0;
        }
        return lifetime.compareTo(LONGEST_MILLIS) > 0 ? Long.MAX_VALUE : lifetime.toMillis();
    }
}
