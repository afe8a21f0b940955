package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Instant;

/**
 * Something a {@link io.github.tokenrefresh.TokenRefreshPolicy} did or refused to do, delivered to the consumers
 * registered on its {@link EventPublisher}.
 *
 * <p>Events are immutable and carry no secret: their {@code toString()} is safe to log.
 */
public interface TokenRefreshEvent {

    /**
     * Returns the name of the policy that published the event.
     *
     * @return the policy name
     */
    String getPolicyName();

    /**
     * Returns the kind of event.
     *
     * @return the type
     */
    Type getEventType();

    /**
     * Returns why the refresh this event belongs to was started.
     *
     * @return the trigger
     */
    RefreshTrigger getTrigger();

    /**
     * Returns when the event was created, by the policy's clock.
     *
     * @return the creation time
     */
    Instant getCreationTime();

    /**
     * The kinds of event.
     */
    enum Type {
        /** A refresh produced new tokens. */
        REFRESH_SUCCEEDED,
        /** A refresh failed for now: the endpoint was unavailable or answered nonsense. */
        REFRESH_FAILED,
        /** The authorization server refused the grant for good; re-authentication is required. */
        REFRESH_REJECTED,
        /** A caller joined a refresh already in flight instead of starting another. */
        REFRESH_COALESCED,
        /** A call was sent again with a new token after its token was rejected. */
        REPLAYED,
        /** A call whose token was rejected was not sent again. */
        REPLAY_REFUSED,
        /** The loop guard tripped. */
        LOOP_GUARD_TRIPPED
    }
}
