package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenResponse;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The OAuth2 {@code client_credentials} grant (RFC 6749 §4.4): the client obtains a token for itself with its own
 * credentials. There is no refresh token; a new token is simply requested again when the old one goes stale.
 *
 * <p>The endpoint must authenticate the client with a secret ({@code client_secret_basic} or
 * {@code client_secret_post}). Immutable and thread-safe.
 */
public final class ClientCredentialsGrant implements TokenGrant {

    private final TokenEndpoint endpoint;
    private final GrantParameters parameters;

    private ClientCredentialsGrant(Builder builder) {
        this.endpoint = builder.endpoint;
        this.parameters = builder.parameters.copy();
    }

    /**
     * Starts a builder.
     *
     * @param endpoint the token endpoint; its client authentication must carry a secret
     * @return a builder
     * @throws IllegalArgumentException if the endpoint authenticates a public client
     */
    public static Builder builder(TokenEndpoint endpoint) {
        return new Builder(endpoint);
    }

    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        Map<String, String> form = parameters.form("client_credentials");
        parameters.addTo(form);
        return endpoint.exchange(form, request.timeout());
    }

    @Override
    public String toString() {
        return "ClientCredentialsGrant[" + endpoint + ", scopes=" + parameters.scopes() + ']';
    }

    /**
     * Builds a {@link ClientCredentialsGrant}. Not thread-safe.
     */
    public static final class Builder {

        private final TokenEndpoint endpoint;
        private final GrantParameters parameters = new GrantParameters();

        private Builder(TokenEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
            if (endpoint.clientAuthentication().method() == ClientAuthentication.Method.NONE) {
                throw new IllegalArgumentException("the client_credentials grant needs a client secret; "
                        + "use clientSecretBasic or clientSecretPost");
            }
        }

        /**
         * Sets the scopes to request.
         *
         * @param scopes the scopes
         * @return this builder
         */
        public Builder scopes(Collection<String> scopes) {
            parameters.scopes(scopes);
            return this;
        }

        /**
         * Adds a form parameter, such as {@code audience} or {@code resource}.
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
        public ClientCredentialsGrant build() {
            return new ClientCredentialsGrant(this);
        }
    }
}
