package io.github.tokenrefresh.store;

/**
 * The right, granted by a {@link TokenStore}, to refresh one policy's tokens while other processes wait.
 *
 * <p>A policy releases its lease once the new tokens are stored or the refresh failed; a lease that is never
 * released lapses after its time to live, so a crashed holder blocks the fleet only that long.
 */
@FunctionalInterface
public interface RefreshLease extends AutoCloseable {

    /** The lease of a store that is not shared: there is nobody to exclude, so releasing does nothing. */
    RefreshLease UNSHARED = () -> { };

    /**
     * Gives the lease back. Calling it again does nothing.
     */
    void release();

    /**
     * Same as {@link #release()}, for try-with-resources.
     */
    @Override
    default void close() {
        release();
    }
}
