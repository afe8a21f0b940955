package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.TokenSet;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The OAuth2 {@code refresh_token} grant (RFC 6749 §6): presents the policy's current refresh token and gets a new
 * access token, and possibly a new refresh token, which the policy stores before anybody uses the access token.
 *
 * <p>Before the first refresh the policy holds no tokens; the grant then presents the {@code initialRefreshToken}
 * it was built with, for example the one an interactive login produced. Without any refresh token a request fails
 * with {@link ReauthenticationRequiredException}. Immutable and thread-safe.
 */
public final class RefreshTokenGrant implements TokenGrant {

    private final TokenEndpoint endpoint;
    private final Secret initialRefreshToken;
    private final GrantParameters parameters;

    private RefreshTokenGrant(Builder builder) {
        this.endpoint = builder.endpoint;
        this.initialRefreshToken = builder.initialRefreshToken;
        this.parameters = builder.parameters.copy();
    }

    /**
     * Starts a builder.
     *
     * @param endpoint the token endpoint
     * @return a builder
     */
    public static Builder builder(TokenEndpoint endpoint) {
        return new Builder(endpoint);
    }

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        Optional<Secret> refreshToken = request.current().flatMap(TokenSet::refreshToken);
        if (refreshToken.isEmpty()) {
            refreshToken = Optional.ofNullable(initialRefreshToken);
        }
        if (refreshToken.isEmpty()) {
            return CompletableFuture.failedFuture(new ReauthenticationRequiredException("Policy '"
                    + request.policyName() + "' has no refresh token to present; sign in and supply tokens, or "
                    + "build the grant with an initial refresh token", null, null));
        }
        Map<String, String> form = parameters.form("refresh_token");
        form.put("refresh_token", refreshToken.get().reveal());
        parameters.addTo(form);
        return endpoint.exchange(form, request.timeout());
    }

    @Override
    public String toString() {
        return "RefreshTokenGrant[" + endpoint + ", scopes=" + parameters.scopes() + ']';
    }

    /**
     * Builds a {@link RefreshTokenGrant}. Not thread-safe.
     */
    public static final class Builder {

        private final TokenEndpoint endpoint;
        private Secret initialRefreshToken;
        private final GrantParameters parameters = new GrantParameters();

        private Builder(TokenEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
        }

        /**
         * Sets the refresh token to present while the policy holds none of its own.
         *
         * @param refreshToken the refresh token
         * @return this builder
         */
        public Builder initialRefreshToken(Secret refreshToken) {
            this.initialRefreshToken = Objects.requireNonNull(refreshToken, "initialRefreshToken must not be null");
            return this;
        }

        /**
         * Asks for a narrower set of scopes than originally granted (RFC 6749 §6).
         *
         * @param scopes the scopes
         * @return this builder
         */
        public Builder scopes(Collection<String> scopes) {
            parameters.scopes(scopes);
            return this;
        }

        /**
         * Adds a form parameter, such as {@code resource}.
         *
         * @param name the parameter name; not one the grant sets itself
         * @param value the value
         * @return this builder
         */
        public Builder parameter(String name, String value) {
            parameters.parameter(name, value);
            return this;
        }

        /**
         * Builds the grant.
         *
         * @return the grant
         */
        public RefreshTokenGrant build() {
            return new RefreshTokenGrant(this);
        }
    }
}
