package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.TokenRefreshException;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A refresh failed for now: the endpoint was unavailable ({@link RefreshOutcome#TRANSIENT_FAILURE}) or answered
 * something malformed ({@link RefreshOutcome#PROTOCOL_ERROR}). The policy keeps the current token and tries again
 * after {@link #getBackoff()}.
 */
public final class RefreshFailedEvent extends RefreshEvent {

    private final RefreshOutcome outcome;
    private final TokenRefreshException failure;
    private final Duration backoff;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger why the refresh was started
     * @param creationTime when, by the policy's clock
     * @param duration how long the refresh took
     * @param outcome {@link RefreshOutcome#TRANSIENT_FAILURE} or {@link RefreshOutcome#PROTOCOL_ERROR}
     * @param failure what went wrong
     * @param backoff how long until the policy asks the endpoint again
     */
    public RefreshFailedEvent(String policyName, RefreshTrigger trigger, Instant creationTime, Duration duration,
            RefreshOutcome outcome, TokenRefreshException failure, Duration backoff) {
        super(policyName, trigger, creationTime, duration);
        if (outcome != RefreshOutcome.TRANSIENT_FAILURE && outcome != RefreshOutcome.PROTOCOL_ERROR) {
            throw new IllegalArgumentException("a failed refresh cannot have outcome " + outcome);
        }
        this.outcome = outcome;
        this.failure = Objects.requireNonNull(failure, "failure");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    @Override
    public Type getEventType() {
        return Type.REFRESH_FAILED;
    }

    @Override
    public RefreshOutcome getOutcome() {
        return outcome;
    }

    /**
     * Returns what went wrong.
     *
     * @return the failure
     */
    public TokenRefreshException getFailure() {
        return failure;
    }

    /**
     * Returns how long the policy waits before it asks the endpoint again.
     *
     * @return the backoff
     */
    public Duration getBackoff() {
        return backoff;
    }

    @Override
    protected String details() {
        return super.details() + ", backoff=" + backoff.toMillis() + "ms, failure=" + failure.getMessage();
    }
}
