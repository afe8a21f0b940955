package io.github.tokenrefresh;

import java.time.Duration;

/**
 * The loop guard tripped: resource servers rejected freshly refreshed tokens more often than
 * {@link TokenRefreshConfig#getLoopGuardMaxRefreshes()} times within
 * {@link TokenRefreshConfig#getLoopGuardWindow()}.
 *
 * <p>That pattern means refreshing cannot help (a token for the wrong audience, a clock far off, a resource
 * server that rejects every token), so the policy refuses to refresh on rejection until the window has passed.
 * Not retryable.
 */
public class RefreshLoopException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final int refreshes;
    private final Duration window;

    /**
     * Creates the exception.
     *
     * @param message what happened; never a secret
     * @param refreshes how many refreshes on rejection happened within the window
     * @param window the guard's window
     */
    public RefreshLoopException(String message, int refreshes, Duration window) {
        super(message, null);
        this.refreshes = refreshes;
        this.window = window;
    }

    /**
     * Returns how many refreshes on rejection the guard counted in its window.
     *
     * @return the count
     */
    public int refreshes() {
        return refreshes;
    }

    /**
     * Returns the guard's window.
     *
     * @return the window
     */
    public Duration window() {
        return window;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
