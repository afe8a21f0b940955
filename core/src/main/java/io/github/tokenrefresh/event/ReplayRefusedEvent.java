package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.ReplayRefusal;

import java.time.Instant;
import java.util.Objects;

/**
 * A call whose token was rejected was not sent again; the caller gets the rejection.
 */
public final class ReplayRefusedEvent extends AbstractTokenRefreshEvent {

    private final ReplayRefusal reason;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param creationTime when, by the policy's clock
     * @param reason why the call was not replayed
     */
    public ReplayRefusedEvent(String policyName, Instant creationTime, ReplayRefusal reason) {
        super(policyName, RefreshTrigger.REACTIVE, creationTime);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Type getEventType() {
        return Type.REPLAY_REFUSED;
    }

    /**
     * Returns why the call was not replayed.
     *
     * @return the reason
     */
    public ReplayRefusal getReason() {
        return reason;
    }

    @Override
    protected String details() {
        return "reason=" + reason;
    }
}
