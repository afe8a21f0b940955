package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An event about one finished call to the token endpoint: it carries how long the call took and how it ended.
 * Subtypes say more about each ending.
 */
public abstract class RefreshEvent extends AbstractTokenRefreshEvent {

    private final Duration duration;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger why the refresh was started
     * @param creationTime when, by the policy's clock
     * @param duration how long the token endpoint call took
     */
    protected RefreshEvent(String policyName, RefreshTrigger trigger, Instant creationTime, Duration duration) {
        super(policyName, trigger, creationTime);
        this.duration = Objects.requireNonNull(duration, "duration");
    }

    /**
     * Returns how long the refresh took, from sending the request to handling the answer.
     *
     * @return the duration
     */
    public Duration getDuration() {
        return duration;
    }

    /**
     * Returns how the refresh ended.
     *
     * @return the outcome
     */
    public abstract RefreshOutcome getOutcome();

    @Override
    protected String details() {
        return "outcome=" + getOutcome().tagValue() + ", duration=" + duration.toMillis() + "ms";
    }
}
