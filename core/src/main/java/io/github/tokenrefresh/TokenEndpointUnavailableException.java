package io.github.tokenrefresh;

import java.time.Duration;
import java.util.Optional;

/**
 * The token endpoint could not be used for now: an I/O error, a timeout, a 5xx or 429 answer, or the policy is
 * backing off after such a failure and fails fast rather than stampede the endpoint.
 *
 * <p>Retryable: a later attempt may succeed. {@link #retryAfter()} says when the policy will try the endpoint
 * again, when it knows.
 */
public class TokenEndpointUnavailableException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;
    private final int status;

    /**
     * Creates the exception.
     *
     * @param message what happened; never a secret
     * @param status the HTTP status the endpoint answered, or 0 when there was no answer
     * @param retryAfter how long until the endpoint may be tried again, or null if unknown
     * @param cause the underlying failure, or null
     */
    public TokenEndpointUnavailableException(String message, int status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /**
     * Returns the HTTP status of the failed answer.
     *
     * @return the status, or 0 when the endpoint gave no answer (I/O error, timeout, backoff)
     */
    public int status() {
        return status;
    }

    /**
     * Returns how long to wait before the endpoint may be tried again: the server's {@code Retry-After}, or the
     * policy's remaining backoff.
     *
     * @return the delay, or empty if unknown
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
