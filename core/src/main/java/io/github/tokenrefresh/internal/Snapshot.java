package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenRefreshException;
import io.github.tokenrefresh.TokenSet;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a call needs to know about a policy, in one immutable object behind one volatile field. The fresh path
 * reads {@link #servable} and {@link #token} and nothing else; every change builds a new snapshot.
 */
final class Snapshot {

    enum Mode { NO_TOKEN, ACTIVE, REAUTHENTICATION_REQUIRED, CLOSED }

    final Mode mode;
    final TokenSet tokens;
    final AccessToken token;
    final long version;
    /** True while the token may be sent without asking the clock: fresh or stale, not expired. */
    final boolean servable;
    /** The token as a completed future, built once and shared by every caller resolved to this snapshot. */
    final CompletableFuture<AccessToken> completedToken;
    final Instant staleAt;
    final Instant expiredAt;
    final Instant backoffUntil;
    final int failures;
    final TokenRefreshException failure;

    private Snapshot(Mode mode, TokenSet tokens, long version, boolean servable, Instant staleAt,
            Instant expiredAt, Instant backoffUntil, int failures, TokenRefreshException failure) {
        this.mode = mode;
        this.tokens = tokens;
        this.token = tokens == null ? null : tokens.accessToken();
        this.version = version;
        this.servable = servable;
        this.completedToken = token == null ? null : CompletableFuture.completedFuture(token);
        this.staleAt = staleAt;
        this.expiredAt = expiredAt;
        this.backoffUntil = backoffUntil;
        this.failures = failures;
        this.failure = failure;
    }

    static Snapshot noToken(long version) {
        return new Snapshot(Mode.NO_TOKEN, null, version, false, null, null, null, 0, null);
    }

    static Snapshot active(TokenSet tokens, Instant staleAt, Instant expiredAt, boolean servable) {
        return new Snapshot(Mode.ACTIVE, tokens, tokens.version(), servable, staleAt, expiredAt, null, 0, null);
    }

    Snapshot expired() {
        return new Snapshot(mode, tokens, version, false, staleAt, expiredAt, backoffUntil, failures, failure);
    }

    Snapshot backingOff(Instant until, TokenRefreshException cause) {
        return new Snapshot(mode, tokens, version, servable, staleAt, expiredAt, until, failures + 1, cause);
    }

    Snapshot reauthenticationRequired(TokenRefreshException cause) {
        return new Snapshot(Mode.REAUTHENTICATION_REQUIRED, tokens, version, false, null, null, null, failures, cause);
    }

    Snapshot closed() {
        return new Snapshot(Mode.CLOSED, tokens, version, false, null, null, null, failures, failure);
    }

    boolean isLive() {
        return mode == Mode.NO_TOKEN || mode == Mode.ACTIVE;
    }
}
