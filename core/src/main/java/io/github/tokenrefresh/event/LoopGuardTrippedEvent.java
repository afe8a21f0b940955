package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The loop guard tripped: tokens were rejected and refreshed too often within the guard's window. Published once
 * per trip, not for every call the guard then refuses.
 */
public final class LoopGuardTrippedEvent extends AbstractTokenRefreshEvent {

    private final int refreshes;
    private final Duration window;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param creationTime when, by the policy's clock
     * @param refreshes how many refreshes on rejection the guard counted in its window
     * @param window the guard's window
     */
    public LoopGuardTrippedEvent(String policyName, Instant creationTime, int refreshes, Duration window) {
        super(policyName, RefreshTrigger.REACTIVE, creationTime);
        this.refreshes = refreshes;
        this.window = Objects.requireNonNull(window, "window");
    }

    @Override
    public Type getEventType() {
        return Type.LOOP_GUARD_TRIPPED;
    }

    /**
     * Returns how many refreshes on rejection the guard counted.
     *
     * @return the count
     */
    public int getRefreshes() {
        return refreshes;
    }

    /**
     * Returns the guard's window.
     *
     * @return the window
     */
    public Duration getWindow() {
        return window;
    }

    @Override
    protected String details() {
        return "refreshes=" + refreshes + ", window=" + window;
    }
}
