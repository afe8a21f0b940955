package io.github.tokenrefresh;

import java.util.concurrent.CompletionStage;

/**
 * The asynchronous twin of {@link AuthorizedCall}, for {@link TokenRefreshPolicy#executeAsync}: {@link #send}
 * returns a stage instead of blocking. A stage completed exceptionally with {@link TokenRejectedException} signals a
 * rejection like a rejected response does.
 *
 * <p>An instance describes one logical call; the policy never runs two of its sends at once.
 *
 * @param <R> the response type
 */
public interface AsyncAuthorizedCall<R> {

    /**
     * Sends the request with {@code token}.
     *
     * @param token the token to send
     * @param replay 0 for the first send, then 1, 2… for replays
     * @return a stage completing with the response
     */
    CompletionStage<R> send(AccessToken token, int replay);

    /**
     * Tells whether {@code response} rejected the token it was sent with.
     *
     * @param response the response
     * @return true if a refresh and replay may help; false by default
     */
    default boolean isTokenRejected(R response) {
        return false;
    }

    /**
     * Tells whether the request can be sent again.
     *
     * @return true by default
     */
    default boolean isReplayable() {
        return true;
    }

    /**
     * Releases a response the caller will not get: a rejected one before the replay or the failure, or any response
     * that arrives after the caller cancelled.
     *
     * @param response the response
     */
    default void discard(R response) {
    }
}
