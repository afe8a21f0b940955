package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.event.EventConsumer;
import io.github.tokenrefresh.event.EventPublisher;
import io.github.tokenrefresh.event.EventSubscription;
import io.github.tokenrefresh.event.LoopGuardTrippedEvent;
import io.github.tokenrefresh.event.RefreshCoalescedEvent;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshRejectedEvent;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.event.ReplayedEvent;
import io.github.tokenrefresh.event.TokenRefreshEvent;

/**
 * A policy's {@link EventPublisher}, and the policy's side of it: {@link #publish(TokenRefreshEvent)}.
 */
final class EventProcessor implements EventPublisher {

    private final ConsumerList<TokenRefreshEvent> consumers;

    EventProcessor(String policyName) {
        this.consumers = new ConsumerList<>("policy '" + policyName + "'");
    }

    boolean hasConsumers() {
        return consumers.hasConsumers();
    }

    void publish(TokenRefreshEvent event) {
        consumers.publish(event);
    }

    @Override
    public EventPublisher onRefreshSucceeded(EventConsumer<RefreshSucceededEvent> consumer) {
        subscribe(RefreshSucceededEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onRefreshFailed(EventConsumer<RefreshFailedEvent> consumer) {
        subscribe(RefreshFailedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onRefreshRejected(EventConsumer<RefreshRejectedEvent> consumer) {
        subscribe(RefreshRejectedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onRefreshCoalesced(EventConsumer<RefreshCoalescedEvent> consumer) {
        subscribe(RefreshCoalescedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onReplayed(EventConsumer<ReplayedEvent> consumer) {
        subscribe(ReplayedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onReplayRefused(EventConsumer<ReplayRefusedEvent> consumer) {
        subscribe(ReplayRefusedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onLoopGuardTripped(EventConsumer<LoopGuardTrippedEvent> consumer) {
        subscribe(LoopGuardTrippedEvent.class, consumer);
        return this;
    }

    @Override
    public EventPublisher onEvent(EventConsumer<TokenRefreshEvent> consumer) {
        subscribe(TokenRefreshEvent.class, consumer);
        return this;
    }

    @Override
    public <E extends TokenRefreshEvent> EventSubscription subscribe(Class<E> type, EventConsumer<? super E> consumer) {
        return consumers.subscribe(type, consumer);
    }
}
