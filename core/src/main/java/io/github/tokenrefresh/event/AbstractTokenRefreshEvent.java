package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Instant;
import java.util.Objects;

/**
 * Common fields of the event types. Immutable.
 */
public abstract class AbstractTokenRefreshEvent implements TokenRefreshEvent {

    private final String policyName;
    private final RefreshTrigger trigger;
    private final Instant creationTime;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger why the refresh this event belongs to was started
     * @param creationTime when, by the policy's clock
     */
    protected AbstractTokenRefreshEvent(String policyName, RefreshTrigger trigger, Instant creationTime) {
        this.policyName = Objects.requireNonNull(policyName, "policyName");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.creationTime = Objects.requireNonNull(creationTime, "creationTime");
    }

    @Override
    public String getPolicyName() {
        return policyName;
    }

    @Override
    public RefreshTrigger getTrigger() {
        return trigger;
    }

    @Override
    public Instant getCreationTime() {
        return creationTime;
    }

    /**
     * Returns the fields a subclass adds, for {@link #toString()}.
     *
     * @return a comma-separated list, or an empty string
     */
    protected abstract String details();

    @Override
    public String toString() {
        String details = details();
        return getEventType() + "[policy=" + policyName + ", trigger=" + trigger.tagValue()
                + (details.isEmpty() ? "" : ", " + details) + ", at=" + creationTime + ']';
    }
}
