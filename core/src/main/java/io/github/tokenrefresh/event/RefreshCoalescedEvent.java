package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Instant;

/**
 * A caller needed a new token while a refresh was already in flight and waited for that one instead of starting
 * another. One event per waiting caller.
 */
public final class RefreshCoalescedEvent extends AbstractTokenRefreshEvent {

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger the trigger of the refresh the caller joined
     * @param creationTime when, by the policy's clock
     */
    public RefreshCoalescedEvent(String policyName, RefreshTrigger trigger, Instant creationTime) {
        super(policyName, trigger, creationTime);
    }

    @Override
    public Type getEventType() {
        return Type.REFRESH_COALESCED;
    }

    @Override
    protected String details() {
        return "";
    }
}
