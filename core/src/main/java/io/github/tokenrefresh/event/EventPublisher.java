package io.github.tokenrefresh.event;

/**
 * Registers consumers for a policy's events.
 *
 * <p>The {@code onXxx} methods return this publisher so registrations chain; {@link #subscribe(Class,
 * EventConsumer)} returns a handle to remove the consumer later. Events are built only when some consumer wants
 * them, so an unobserved policy pays nothing. Thread-safe: consumers may be added and removed while events flow.
 */
public interface EventPublisher {

    /**
     * Registers a consumer for successful refreshes.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onRefreshSucceeded(EventConsumer<RefreshSucceededEvent> consumer);

    /**
     * Registers a consumer for refreshes that failed for now.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onRefreshFailed(EventConsumer<RefreshFailedEvent> consumer);

    /**
     * Registers a consumer for grants refused for good.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onRefreshRejected(EventConsumer<RefreshRejectedEvent> consumer);

    /**
     * Registers a consumer for callers that joined a refresh in flight.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onRefreshCoalesced(EventConsumer<RefreshCoalescedEvent> consumer);

    /**
     * Registers a consumer for replayed calls.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onReplayed(EventConsumer<ReplayedEvent> consumer);

    /**
     * Registers a consumer for refused replays.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onReplayRefused(EventConsumer<ReplayRefusedEvent> consumer);

    /**
     * Registers a consumer for loop guard trips.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onLoopGuardTripped(EventConsumer<LoopGuardTrippedEvent> consumer);

    /**
     * Registers a consumer for every event.
     *
     * @param consumer the consumer
     * @return this publisher
     */
    EventPublisher onEvent(EventConsumer<TokenRefreshEvent> consumer);

    /**
     * Registers a consumer for events of {@code type} and its subtypes, removable through the returned handle.
     *
     * @param type the event type, such as {@code RefreshEvent.class} for every finished refresh
     * @param consumer the consumer
     * @param <E> the event type
     * @return the handle that removes the consumer
     */
    <E extends TokenRefreshEvent> EventSubscription subscribe(Class<E> type, EventConsumer<? super E> consumer);
}
