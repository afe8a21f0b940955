package io.github.tokenrefresh;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an authorization server granted: an access token, its expiry, an optional refresh token and the scopes,
 * plus a version that grows by one each time a policy stores a replacement.
 *
 * <p>The version is what makes refreshes safe to race: a {@link io.github.tokenrefresh.store.TokenStore} replaces
 * a set only if the stored version is the one the writer started from, and a caller reporting a rejected token is
 * refreshed for only if that token is still the current one.
 *
 * <p>{@link #toString()} never shows a token value. Instances are immutable and thread-safe; build them with
 * {@link #builder()}.
 */
public final class TokenSet {

    private final AccessToken accessToken;
    private final Secret refreshToken;
    private final Set<String> scopes;
    private final Instant issuedAt;

    private TokenSet(Builder builder) {
        this.accessToken = new AccessToken(builder.accessToken, builder.expiresAt, builder.version);
        this.refreshToken = builder.refreshToken;
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(builder.scopes));
        this.issuedAt = builder.issuedAt;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder with version 0, no expiry, no refresh token and no scopes
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the access token, with its prebuilt {@code Authorization} header.
     *
     * @return the access token
     */
    public AccessToken accessToken() {
        return accessToken;
    }

    /**
     * Returns the token type, always {@value AccessToken#BEARER}.
     *
     * @return the token type
     */
    public String tokenType() {
        return accessToken.tokenType();
    }

    /**
     * Returns when the access token expires, if the server said.
     *
     * @return the expiry, or empty if unknown
     */
    public Optional<Instant> expiresAt() {
        return accessToken.expiresAt();
    }

    /**
     * Returns the refresh token, if the server issued one.
     *
     * @return the refresh token, or empty
     */
    public Optional<Secret> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * Returns the granted scopes.
     *
     * @return an unmodifiable set, empty when the server did not say
     */
    public Set<String> scopes() {
        return scopes;
    }

    /**
     * Returns when the token request that produced this set was sent, if known. Lifetimes are measured from
     * this instant, not from when the answer arrived, so a slow answer can never make a token look longer-lived
     * than it is.
     *
     * @return the issue instant, or empty if unknown
     */
    public Optional<Instant> issuedAt() {
        return Optional.ofNullable(issuedAt);
    }

    /**
     * Returns the version; larger is newer.
     *
     * @return the version
     */
    public long version() {
        return accessToken.version();
    }

    /**
     * Returns a copy of this set with another version.
     *
     * @param version the new version, not negative
     * @return the copy
     */
    public TokenSet withVersion(long version) {
        return toBuilder().version(version).build();
    }

    /**
     * Returns a builder holding this set's values.
     *
     * @return a builder to derive a modified copy
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.accessToken = accessToken.value();
        builder.expiresAt = accessToken.expiresAt().orElse(null);
        builder.refreshToken = refreshToken;
        builder.scopes.addAll(scopes);
        builder.issuedAt = issuedAt;
        builder.version = accessToken.version();
        return builder;
    }

    @Override
    public String toString() {
        return "TokenSet[version=" + version()
                + ", tokenType=" + tokenType()
                + ", issuedAt=" + issuedAt
                + ", expiresAt=" + accessToken.expiresAt().orElse(null)
                + ", refreshToken=" + (refreshToken == null ? "absent" : "present")
                + ", scopes=" + scopes + ']';
    }

    /**
     * Builds a {@link TokenSet}. Each setter checks its argument at once. Not thread-safe.
     */
    public static final class Builder {

        private Secret accessToken;
        private Instant expiresAt;
        private Secret refreshToken;
        private final Set<String> scopes = new LinkedHashSet<>();
        private Instant issuedAt;
        private long version;

        private Builder() {
        }

        /**
         * Sets the access token value.
         *
         * @param value the token; not null or empty
         * @return this builder
         */
        public Builder accessToken(String value) {
            this.accessToken = Secret.of(value);
            return this;
        }

        /**
         * Sets the access token value.
         *
         * @param value the token; not null
         * @return this builder
         */
        public Builder accessToken(Secret value) {
            this.accessToken = Objects.requireNonNull(value, "accessToken must not be null");
            return this;
        }

        /**
         * Checks the token type. Only {@code Bearer} (in any letter case) is accepted, because the token is sent
         * as an RFC 6750 bearer credential.
         *
         * @param tokenType the type the server named
         * @return this builder
         * @throws IllegalArgumentException for any other type
         */
        public Builder tokenType(String tokenType) {
            Objects.requireNonNull(tokenType, "tokenType must not be null");
            if (!AccessToken.BEARER.toLowerCase(Locale.ROOT).equals(tokenType.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("tokenType must be Bearer, was '" + tokenType + "'");
            }
            return this;
        }

        /**
         * Sets when the access token expires.
         *
         * @param expiresAt the expiry, or null if unknown
         * @return this builder
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /**
         * Sets the refresh token.
         *
         * @param value the refresh token, or null for none
         * @return this builder
         */
        public Builder refreshToken(String value) {
            this.refreshToken = value == null ? null : Secret.of(value);
            return this;
        }

        /**
         * Sets the refresh token.
         *
         * @param value the refresh token, or null for none
         * @return this builder
         */
        public Builder refreshToken(Secret value) {
            this.refreshToken = value;
            return this;
        }

        /**
         * Replaces the scopes.
         *
         * @param scopes the scopes; none may be null or blank
         * @return this builder
         */
        public Builder scopes(Collection<String> scopes) {
            Objects.requireNonNull(scopes, "scopes must not be null");
            for (String scope : scopes) {
                if (scope == null || scope.isBlank()) {
                    throw new IllegalArgumentException("scopes must not contain a null or blank scope");
                }
            }
            this.scopes.clear();
            this.scopes.addAll(scopes);
            return this;
        }

        /**
         * Sets when the token request was sent.
         *
         * @param issuedAt the instant, or null if unknown
         * @return this builder
         */
        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        /**
         * Sets the version.
         *
         * @param version not negative
         * @return this builder
         */
        public Builder version(long version) {
            if (version < 0) {
                throw new IllegalArgumentException("version must not be negative, was " + version);
            }
            this.version = version;
            return this;
        }

        /**
         * Builds the token set.
         *
         * @return the token set
         * @throws IllegalStateException if no access token was set, or it expires before it was issued
         */
        public TokenSet build() {
            if (accessToken == null) {
                throw new IllegalStateException("a TokenSet needs an access token");
            }
            if (expiresAt != null && issuedAt != null && expiresAt.isBefore(issuedAt)) {
                throw new IllegalStateException("expiresAt " + expiresAt + " is before issuedAt " + issuedAt);
            }
            return new TokenSet(this);
        }
    }
}
