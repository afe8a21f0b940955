package io.github.tokenrefresh;

/**
 * Base of every failure a {@link TokenRefreshPolicy} reports instead of running a call.
 *
 * <p>{@link #isRetryable()} tells an outer retry whether trying again later can succeed, so a Resilience4j
 * {@code Retry} or a Failsafe {@code RetryPolicy} can retry a token endpoint outage without ever retrying a
 * rejected refresh token. Messages name the policy and what to do next; they never hold a token value.
 */
public abstract class TokenRefreshException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do; never a secret
     * @param cause the underlying failure, or null
     */
    protected TokenRefreshException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Tells whether the same call may succeed if tried again later.
     *
     * @return true for transient failures, false when retrying cannot help
     */
    public abstract boolean isRetryable();
}
