package io.github.tokenrefresh;

/**
 * The token endpoint answered something that is not a valid OAuth2 token response: not JSON, an HTML error page,
 * no {@code access_token}, a {@code token_type} other than Bearer, a bad {@code expires_in}, or a body over the
 * size cap.
 *
 * <p>The current token stays in place and the policy backs off before asking again. Not retryable: the answer
 * points at a misconfigured endpoint or an intermediary, which a quick retry does not cure.
 */
public class TokenEndpointProtocolException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the answer; never a secret
     * @param status the HTTP status of the answer
     * @param cause the parse failure, or null
     */
    public TokenEndpointProtocolException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * Returns the HTTP status of the malformed answer.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
