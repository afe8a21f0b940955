package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.store.RefreshLease;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One refresh in flight: the single exchange with the token endpoint that every waiting caller shares.
 *
 * <p>Two things end separately. {@link #result} is what callers wait for; it fails when the refresh timeout passes
 * even if the endpoint has not answered yet. The exchange itself ends only when the grant's stage completes, and its
 * answer is stored even if the waiters gave up, because the server may already have rotated the refresh token.
 */
final class Flight {

    final RefreshTrigger trigger;
    final long baseVersion;
    final TokenSet current;
    final CompletableFuture<AccessToken> result = new CompletableFuture<>();

    /** Set once a failure was recorded (by the grant's answer or by abandoning a grant that never answers). */
    final AtomicBoolean failureRecorded = new AtomicBoolean();
    /** Set once the grant's stage completed. */
    final AtomicBoolean exchangeEnded = new AtomicBoolean();

    volatile long startNanos;
    volatile Instant sentAt;
    volatile RefreshLease lease;
    volatile ScheduledFuture<?> waitTimeout;
    volatile ScheduledFuture<?> abandonTimer;

    Flight(RefreshTrigger trigger, long baseVersion, TokenSet current) {
        this.trigger = trigger;
        this.baseVersion = baseVersion;
        this.current = current;
    }

    void cancelTimers() {
        cancel(waitTimeout);
        cancel(abandonTimer);
    }

    void releaseLease() {
        RefreshLease held = lease;
        lease = null;
        if (held != null) {
            held.release();
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
