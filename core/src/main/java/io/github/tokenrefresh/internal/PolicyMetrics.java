package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.TokenRefreshPolicy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A policy's counters. {@link LongAdder} keeps the one increment on the fresh path cheap under contention: threads
 * update separate cells instead of fighting over one.
 */
final class PolicyMetrics implements TokenRefreshPolicy.Metrics {

    final LongAdder successWithoutRefresh = new LongAdder();
    final LongAdder successAfterRefresh = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder replayRefused = new LongAdder();
    final LongAdder replays = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder loopGuardTrips = new LongAdder();

    private final DefaultTokenRefreshPolicy policy;

    PolicyMetrics(DefaultTokenRefreshPolicy policy) {
        this.policy = policy;
    }

    @Override
    public long getNumberOfSuccessfulCallsWithoutRefresh() {
        return successWithoutRefresh.sum();
    }

    @Override
    public long getNumberOfSuccessfulCallsAfterRefresh() {
        return successAfterRefresh.sum();
    }

    @Override
    public long getNumberOfFailedCalls() {
        return failed.sum();
    }

    @Override
    public long getNumberOfReplayRefusedCalls() {
        return replayRefused.sum();
    }

    @Override
    public long getNumberOfReplays() {
        return replays.sum();
    }

    @Override
    public long getNumberOfCoalescedCallers() {
        return coalesced.sum();
    }

    @Override
    public long getNumberOfLoopGuardTrips() {
        return loopGuardTrips.sum();
    }

    @Override
    public Optional<Duration> getTimeUntilExpiry() {
        Snapshot s = policy.snapshot();
        if (s.tokens == null) {
            return Optional.empty();
        }
        return s.tokens.expiresAt().map(expiry -> Duration.between(policy.clock().instant(), expiry));
    }

    @Override
    public boolean isReauthenticationRequired() {
        return policy.snapshot().mode == Snapshot.Mode.REAUTHENTICATION_REQUIRED;
    }

    @Override
    public String toString() {
        return "Metrics[withoutRefresh=" + getNumberOfSuccessfulCallsWithoutRefresh()
                + ", afterRefresh=" + getNumberOfSuccessfulCallsAfterRefresh()
                + ", failed=" + getNumberOfFailedCalls()
                + ", replayRefused=" + getNumberOfReplayRefusedCalls()
                + ", replays=" + getNumberOfReplays()
                + ", coalesced=" + getNumberOfCoalescedCallers()
                + ", loopGuardTrips=" + getNumberOfLoopGuardTrips() + ']';
    }
}
