package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.event.EventConsumer;
import io.github.tokenrefresh.event.EventSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Typed consumers of one event family. Reads (publishing) vastly outnumber writes (subscribing), hence the
 * copy-on-write list. A consumer that throws is logged and skipped.
 *
 * @param <E> the event family's base type
 */
public final class ConsumerList<E> {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerList.class);

    private final String owner;
    private final CopyOnWriteArrayList<Registration<?>> registrations = new CopyOnWriteArrayList<>();

    /**
     * Creates an empty list.
     *
     * @param owner names the publisher in log lines, such as {@code policy 'orders'}
     */
    public ConsumerList(String owner) {
        this.owner = owner;
    }

    /**
     * Adds a consumer of {@code type} and its subtypes.
     *
     * @param type the event type
     * @param consumer the consumer
     * @param <T> the event type
     * @return the handle that removes it
     */
    public <T extends E> EventSubscription subscribe(Class<T> type, EventConsumer<? super T> consumer) {
        Registration<T> registration = new Registration<>(
                Objects.requireNonNull(type, "event type must not be null"),
                Objects.requireNonNull(consumer, "consumer must not be null"));
        registrations.add(registration);
        return () -> registrations.remove(registration);
    }

    /**
     * Tells whether any consumer is registered, so a publisher can skip building an event nobody reads.
     *
     * @return true if there is at least one consumer
     */
    public boolean hasConsumers() {
        return !registrations.isEmpty();
    }

    /**
     * Delivers an event to every consumer of its type, in registration order.
     *
     * @param event the event
     */
    public void publish(E event) {
        for (Registration<?> registration : registrations) {
            registration.deliver(event);
        }
    }

    private final class Registration<T> {

        private final Class<T> type;
        private final EventConsumer<? super T> consumer;

        Registration(Class<T> type, EventConsumer<? super T> consumer) {
            this.type = type;
            this.consumer = consumer;
        }

        void deliver(Object event) {
            if (!type.isInstance(event)) {
                return;
            }
            try {
                consumer.consumeEvent(type.cast(event));
            } catch (RuntimeException | Error e) {
                // A monitoring hook must never break the call it observes.
                LOG.warn("An event consumer of {} failed on {}; the call goes on", owner, event, e);
            }
        }
    }
}
