package io.github.tokenrefresh;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Ready-made {@link Predicate predicates} that tell the failures of a token policy apart, for the exception filters
 * of resilience libraries: Resilience4j's {@code RetryConfig.retryOnException(...)} and
 * {@code CircuitBreakerConfig.recordException(...)}, Failsafe's {@code handleIf(...)}, or plain code.
 *
 * <p>A decorated call can fail for three token-related reasons besides its own:
 * <ul>
 *   <li>a <b>transient</b> token endpoint outage ({@link TokenEndpointUnavailableException}): trying the call again
 *       later may succeed;</li>
 *   <li>a <b>terminal</b> failure ({@link ReauthenticationRequiredException}, {@link TokenEndpointProtocolException},
 *       {@link RefreshLoopException}, {@link ReplayRefusedException}): retrying cannot help, and none of them says
 *       anything about the health of the resource server;</li>
 *   <li>a <b>refused replay</b> ({@link ReplayRefusedException}): the resource server rejected the token and the
 *       call could not be sent again.</li>
 * </ul>
 * The classification follows {@link TokenRefreshException#isRetryable()}. Every predicate looks through the
 * {@link CompletionException} and {@link ExecutionException} wrappers that asynchronous code adds, so the same
 * predicate serves a {@code Supplier} and a {@code CompletionStage}.
 *
 * <p>The combinators {@link #retryOn(Predicate)} and {@link #recordOn(Predicate)} put the token classification
 * first and the caller's own rule second, so a broad rule such as "retry any {@code RuntimeException}" can never
 * retry a revoked refresh token, and a breaker guarding a resource server never opens because the token endpoint
 * is down.
 *
 * <p>All predicates are stateless and thread-safe; the ones without arguments are shared instances.
 */
public final class TokenFailures {

    private static final Predicate<Throwable> ANY = failure -> tokenFailure(failure) != null;

    private static final Predicate<Throwable> TRANSIENT = failure -> {
        TokenRefreshException token = tokenFailure(failure);
        return token != null && token.isRetryable();
    };

    private static final Predicate<Throwable> TERMINAL = failure -> {
        TokenRefreshException token = tokenFailure(failure);
        return token != null && !token.isRetryable();
    };

    private static final Predicate<Throwable> REPLAY_REFUSED =
            failure -> unwrap(failure) instanceof ReplayRefusedException;

    private static final Predicate<Throwable> GRANT_REFUSED =
            failure -> unwrap(failure) instanceof ReauthenticationRequiredException;

    private TokenFailures() {
    }

    /**
     * Matches a failure that a later attempt may cure: a {@link TokenRefreshException} whose
     * {@link TokenRefreshException#isRetryable()} is true, such as a token endpoint outage or a policy failing fast
     * while it backs off. The natural {@code retryOnException} of a Retry around token-decorated calls.
     *
     * @return the shared predicate; false for null and for anything that is not a token failure
     */
    public static Predicate<Throwable> isTransient() {
        return TRANSIENT;
    }

    /**
     * Matches a token failure that retrying cannot cure: a {@link TokenRefreshException} whose
     * {@link TokenRefreshException#isRetryable()} is false (re-authentication required, a malformed token endpoint
     * answer, the loop guard, a refused replay). Use it for {@code ignoreExceptions}-style filters, or to stop a
     * retry at once.
     *
     * @return the shared predicate; false for null and for anything that is not a token failure
     */
    public static Predicate<Throwable> isTerminal() {
        return TERMINAL;
    }

    /**
     * Matches {@link ReplayRefusedException}: the resource server rejected the token and the call was not sent
     * again, because it could not be or it had used up its replays.
     *
     * @return the shared predicate
     */
    public static Predicate<Throwable> isReplayRefused() {
        return REPLAY_REFUSED;
    }

    /**
     * Matches {@link ReauthenticationRequiredException}: the authorization server refused the grant for good. On a
     * circuit breaker around the token endpoint itself, record everything but this: a refused grant proves the
     * endpoint is up.
     *
     * @return the shared predicate
     */
    public static Predicate<Throwable> isGrantRefused() {
        return GRANT_REFUSED;
    }

    /**
     * Matches any failure of a token policy, transient or terminal: any {@link TokenRefreshException}.
     *
     * @return the shared predicate
     */
    public static Predicate<Throwable> isTokenFailure() {
        return ANY;
    }

    /**
     * Builds a retry rule for token-decorated calls: retry a transient token failure, never a terminal one, and
     * decide every other failure with {@code otherFailures}.
     *
     * @param otherFailures which failures of the call itself to retry, such as an {@code IOException}; it is never
     *                      asked about a token failure
     * @return a predicate for {@code RetryConfig.retryOnException(...)} or {@code RetryPolicyBuilder.handleIf(...)}
     * @throws NullPointerException if {@code otherFailures} is null
     */
    public static Predicate<Throwable> retryOn(Predicate<? super Throwable> otherFailures) {
        Objects.requireNonNull(otherFailures, "otherFailures must not be null");
        return failure -> {
            TokenRefreshException token = tokenFailure(failure);
            if (token != null) {
                return token.isRetryable();
            }
            return failure != null && otherFailures.test(unwrap(failure));
        };
    }

    /**
     * Builds a record rule for a circuit breaker that guards a resource server: a token failure is never recorded
     * (it says nothing about the resource server), every other failure is decided by {@code resourceFailures}.
     *
     * @param resourceFailures which failures of the call count against the resource server
     * @return a predicate for {@code CircuitBreakerConfig.recordException(...)}
     * @throws NullPointerException if {@code resourceFailures} is null
     */
    public static Predicate<Throwable> recordOn(Predicate<? super Throwable> resourceFailures) {
        Objects.requireNonNull(resourceFailures, "resourceFailures must not be null");
        return failure -> failure != null && tokenFailure(failure) == null && resourceFailures.test(unwrap(failure));
    }

    /**
     * Strips the {@link CompletionException} and {@link ExecutionException} wrappers of asynchronous code.
     *
     * @param failure a failure, possibly wrapped; may be null
     * @return the innermost failure that is not such a wrapper, or null for null
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static TokenRefreshException tokenFailure(Throwable failure) {
        Throwable unwrapped = unwrap(failure);
        return unwrapped instanceof TokenRefreshException ? (TokenRefreshException) unwrapped : null;
    }
}
