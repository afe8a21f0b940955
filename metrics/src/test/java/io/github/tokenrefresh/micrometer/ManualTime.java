package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;

/**
 * A manual clock and scheduler for policies under test. Refreshes start on the thread that asks for them, so a test
 * knows a refresh has started when the triggering call returns; timers fire only when the test moves the clock.
 */
final class ManualTime implements AutoCloseable {

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);

    TokenRefreshConfig.Builder config() {
        return TokenRefreshConfig.custom()
                .clock(clock)
                .scheduler(scheduler)
                .executor(Runnable::run)
                .refreshJitter(0.0);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
