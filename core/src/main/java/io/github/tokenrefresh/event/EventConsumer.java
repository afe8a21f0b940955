package io.github.tokenrefresh.event;

/**
 * Receives events of one type. Called on the thread that caused the event (a caller's, or a refresh thread), so
 * keep it short and non-blocking. An exception it throws is logged and never reaches the call.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventConsumer<E> {

    /**
     * Handles one event.
     *
     * @param event the event
     */
    void consumeEvent(E event);
}
