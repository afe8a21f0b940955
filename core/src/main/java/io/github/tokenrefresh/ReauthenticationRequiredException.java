package io.github.tokenrefresh;

import java.util.Optional;

/**
 * The authorization server refused the grant for good ({@code invalid_grant}, {@code invalid_client},
 * {@code unauthorized_client} and the like): the refresh token is revoked, expired or was reused, or the client
 * credentials are wrong.
 *
 * <p>The policy stops calling the token endpoint and fails every call fast with this exception until the
 * application obtains new tokens (for example by sending the user through the login flow again) and hands them
 * over with {@link TokenRefreshPolicy#supplyTokens(TokenSet)}. Never retryable.
 */
public class ReauthenticationRequiredException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final String error;

    /**
     * Creates the exception.
     *
     * @param message what happened; never a secret
     * @param error the OAuth2 error code the server sent, or null
     * @param cause the underlying failure, or null
     */
    public ReauthenticationRequiredException(String message, String error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /**
     * Returns the OAuth2 error code that ended the grant, such as {@code invalid_grant}.
     *
     * @return the error code, or empty when the refusal had none
     */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
