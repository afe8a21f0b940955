package io.github.tokenrefresh;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A successful answer of a {@link TokenGrant} (RFC 6749 §5.1): the new access token, its lifetime, and optionally
 * a new refresh token and the granted scopes.
 *
 * <p>A response without a refresh token keeps the one the policy holds; one with a refresh token replaces it
 * (rotation). The lifetime is counted from when the policy sent the request. Immutable and thread-safe;
 * {@link #toString()} holds no secret.
 */
public final class TokenResponse {

    private final Secret accessToken;
    private final Duration expiresIn;
    private final Secret refreshToken;
    private final Set<String> scopes;

    private TokenResponse(Builder builder) {
        this.accessToken = builder.accessToken;
        this.expiresIn = builder.expiresIn;
        this.refreshToken = builder.refreshToken;
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(builder.scopes));
    }

    /**
     * Starts a builder.
     *
     * @param accessToken the new access token
     * @return a builder
     */
    public static Builder builder(Secret accessToken) {
        return new Builder(accessToken);
    }

    /**
     * Returns the new access token.
     *
     * @return the access token
     */
    public Secret accessToken() {
        return accessToken;
    }

    /**
     * Returns the lifetime the server gave the access token.
     *
     * @return the lifetime, or empty if the server did not say
     */
    public Optional<Duration> expiresIn() {
        return Optional.ofNullable(expiresIn);
    }

    /**
     * Returns the new refresh token.
     *
     * @return the refresh token, or empty to keep the current one
     */
    public Optional<Secret> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * Returns the granted scopes.
     *
     * @return the scopes, empty when the server did not list them
     */
    public Set<String> scopes() {
        return scopes;
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresIn + ", refreshToken="
                + (refreshToken == null ? "absent" : "present") + ", scopes=" + scopes + ']';
    }

    /**
     * Builds a {@link TokenResponse}. Not thread-safe.
     */
    public static final class Builder {

        private final Secret accessToken;
        private Duration expiresIn;
        private Secret refreshToken;
        private final Set<String> scopes = new LinkedHashSet<>();

        private Builder(Secret accessToken) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken must not be null");
        }

        /**
         * Sets the lifetime.
         *
         * @param expiresIn positive, or null if unknown
         * @return this builder
         */
        public Builder expiresIn(Duration expiresIn) {
            if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
                throw new IllegalArgumentException("expiresIn must be positive, was " + expiresIn);
            }
            this.expiresIn = expiresIn;
            return this;
        }

        /**
         * Sets the new refresh token.
         *
         * @param refreshToken the rotated refresh token, or null to keep the current one
         * @return this builder
         */
        public Builder refreshToken(Secret refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        /**
         * Sets the granted scopes.
         *
         * @param scopes the scopes
         * @return this builder
         */
        public Builder scopes(Collection<String> scopes) {
            this.scopes.clear();
            this.scopes.addAll(Objects.requireNonNull(scopes, "scopes must not be null"));
            return this;
        }

        /**
         * Builds the response.
         *
         * @return the response
         */
        public TokenResponse build() {
            return new TokenResponse(this);
        }
    }
}
