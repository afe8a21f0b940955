package io.github.tokenrefresh.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Counts refreshes on rejection in a sliding window. Only the thread that starts a refresh calls it, at most one at
 * a time per policy, but it is synchronized anyway because that is cheap on this path and obviously correct.
 */
final class LoopGuard {

    private final int maxRefreshes;
    private final Duration window;
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();
    private boolean tripped;

    LoopGuard(int maxRefreshes, Duration window) {
        this.maxRefreshes = maxRefreshes;
        this.window = window;
    }

    /** What {@link #tryRecord} decided. */
    enum Verdict { ALLOWED, TRIPPED_NOW, STILL_TRIPPED }

    synchronized Verdict tryRecord(Instant now) {
        Instant horizon = now.minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
            recent.pollFirst();
        }
        if (recent.size() >= maxRefreshes) {
            boolean first = !tripped;
            tripped = true;
            return first ? Verdict.TRIPPED_NOW : Verdict.STILL_TRIPPED;
        }
        tripped = false;
        recent.addLast(now);
        return Verdict.ALLOWED;
    }

    synchronized int count() {
        return recent.size();
    }
}
