package io.github.tokenrefresh;

/**
 * A call that uses an access token and may throw a checked exception; what
 * {@link TokenRefreshPolicy#decorateCallable(TokenCallable)} wraps.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TokenCallable<T> {

    /**
     * Runs the call with {@code token}. Throw {@link TokenRejectedException} if the server rejected the token.
     *
     * @param token the token to use
     * @return the result
     * @throws Exception when the call fails
     */
    T call(AccessToken token) throws Exception;
}
