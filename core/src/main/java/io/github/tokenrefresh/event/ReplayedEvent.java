package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Instant;

/**
 * A call whose token was rejected is being sent again with a newer token.
 */
public final class ReplayedEvent extends AbstractTokenRefreshEvent {

    private final int replay;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param creationTime when, by the policy's clock
     * @param replay which replay of the call this is, starting at 1
     */
    public ReplayedEvent(String policyName, Instant creationTime, int replay) {
        super(policyName, RefreshTrigger.REACTIVE, creationTime);
        this.replay = replay;
    }

    @Override
    public Type getEventType() {
        return Type.REPLAYED;
    }

    /**
     * Returns which replay of the call this is.
     *
     * @return 1 for the first replay
     */
    public int getReplay() {
        return replay;
    }

    @Override
    protected String details() {
        return "replay=" + replay;
    }
}
