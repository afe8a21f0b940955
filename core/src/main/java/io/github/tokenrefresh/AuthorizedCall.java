package io.github.tokenrefresh;

/**
 * One request to a resource server, as an HTTP adapter hands it to {@link TokenRefreshPolicy#execute}: how to send
 * it with a given token, and what the policy needs to know to replay it after a rejection.
 *
 * <p>The policy calls {@link #send} with the current token; when {@link #isTokenRejected} says the answer rejected
 * that token, it refreshes (keyed by the rejected token, so concurrent rejections share one refresh),
 * {@link #discard discards} the rejected answer and sends again, at most
 * {@link TokenRefreshConfig#getMaxReplays()} times and only if {@link #isReplayable()}. Otherwise the rejected
 * answer itself is returned to the caller. {@code send} may also signal a rejection by throwing
 * {@link TokenRejectedException}.
 *
 * <p>An instance describes one logical call and is used by one thread at a time.
 *
 * @param <R> the response type
 * @param <X> the checked exception {@code send} may throw
 */
public interface AuthorizedCall<R, X extends Exception> {

    /**
     * Sends the request with {@code token}.
     *
     * @param token the token to send
     * @param replay 0 for the first send, then 1, 2… for replays; an adapter may use it to decide whether a
     *               rejected answer will be replayed (and so whether its body can be thrown away unread)
     * @return the response
     * @throws X when sending fails
     */
    R send(AccessToken token, int replay) throws X;

    /**
     * Tells whether {@code response} says the token it was sent with was rejected, such as a 401 with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}; see
     * {@link io.github.tokenrefresh.oauth2.BearerChallenge#isTokenRejection}.
     *
     * @param response the response of {@link #send}
     * @return true if a refresh and replay may help; false by default
     */
    default boolean isTokenRejected(R response) {
        return false;
    }

    /**
     * Tells whether the request can be sent again, for example because its body can be produced twice.
     *
     * @return true by default
     */
    default boolean isReplayable() {
        return true;
    }

    /**
     * Releases a rejected response before the call is replayed or fails, for example by draining and closing its
     * body so a pooled connection is returned. Called at most once per rejected response the caller does not get.
     *
     * @param response the rejected response
     */
    default void discard(R response) {
    }
}
