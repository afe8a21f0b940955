package io.github.tokenrefresh.event;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshTrigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The authorization server refused the grant for good. The policy now requires re-authentication and makes no
 * further call to the token endpoint until the application supplies new tokens.
 */
public final class RefreshRejectedEvent extends RefreshEvent {

    private final ReauthenticationRequiredException failure;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger why the refresh was started
     * @param creationTime when, by the policy's clock
     * @param duration how long the refresh took
     * @param failure the refusal
     */
    public RefreshRejectedEvent(String policyName, RefreshTrigger trigger, Instant creationTime, Duration duration,
            ReauthenticationRequiredException failure) {
        super(policyName, trigger, creationTime, duration);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    @Override
    public Type getEventType() {
        return Type.REFRESH_REJECTED;
    }

    @Override
    public RefreshOutcome getOutcome() {
        return RefreshOutcome.REJECTED;
    }

    /**
     * Returns the refusal, with the OAuth2 error code.
     *
     * @return the failure
     */
    public ReauthenticationRequiredException getFailure() {
        return failure;
    }

    @Override
    protected String details() {
        return super.details() + ", error=" + failure.error().orElse("none");
    }
}
