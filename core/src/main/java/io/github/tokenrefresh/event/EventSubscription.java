package io.github.tokenrefresh.event;

/**
 * A registered consumer; cancel it to stop receiving events.
 */
@FunctionalInterface
public interface EventSubscription extends AutoCloseable {

    /**
     * Removes the consumer. Events being delivered at this moment may still reach it; none published after this
     * returns will. Calling it again does nothing.
     */
    void cancel();

    /**
     * Same as {@link #cancel()}, for try-with-resources.
     */
    @Override
    default void close() {
        cancel();
    }
}
