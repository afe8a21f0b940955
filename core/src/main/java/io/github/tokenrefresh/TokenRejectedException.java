package io.github.tokenrefresh;

import io.github.tokenrefresh.oauth2.BearerChallenge;

import java.util.Optional;

/**
 * Thrown by a decorated function to say "the resource server rejected the token I was given" (typically a 401
 * with {@code WWW-Authenticate: Bearer error="invalid_token"}).
 *
 * <p>The policy then refreshes, keyed by the rejected token so concurrent rejections share one refresh, and calls
 * the function again with the new token. When it cannot call again it throws {@link ReplayRefusedException}
 * with this exception as the cause. This exception is a signal to the policy, not a policy failure, so it is not
 * a {@link TokenRefreshException}.
 */
public class TokenRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient BearerChallenge challenge;

    /**
     * Creates the signal with a message.
     *
     * @param message what the resource server said; never a secret
     */
    public TokenRejectedException(String message) {
        this(message, null);
    }

    /**
     * Creates the signal with the parsed challenge.
     *
     * @param message what the resource server said; never a secret
     * @param challenge the Bearer challenge of the rejection, or null
     */
    public TokenRejectedException(String message, BearerChallenge challenge) {
        super(message);
        this.challenge = challenge;
    }

    /**
     * Returns the Bearer challenge of the rejection, if the caller parsed one.
     *
     * @return the challenge, or empty
     */
    public Optional<BearerChallenge> challenge() {
        return Optional.ofNullable(challenge);
    }
}
