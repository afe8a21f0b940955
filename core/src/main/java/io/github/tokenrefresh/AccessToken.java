package io.github.tokenrefresh;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The access token a decorated call sends, with its {@code Authorization} header value built once.
 *
 * <p>A policy hands the same instance to every call until the token is replaced, so sending it costs no
 * allocation. When a resource server rejects the token, give this instance back to the policy
 * ({@link TokenRefreshPolicy#refreshAfterRejection(AccessToken)}); its {@link #version()} tells the policy whether
 * the token was already replaced, so only one refresh runs per rejected token.
 *
 * <p>{@link #toString()} shows the version and expiry, never the value. Instances are immutable and thread-safe.
 */
public final class AccessToken {

    /** The token type this library sends, as spelled in RFC 6750. */
    public static final String BEARER = "Bearer";

    private final Secret value;
    private final Instant expiresAt;
    private final long version;
    private final String authorizationHeader;

    AccessToken(Secret value, Instant expiresAt, long version) {
        this.value = Objects.requireNonNull(value, "value");
        this.expiresAt = expiresAt;
        this.version = version;
        this.authorizationHeader = BEARER + ' ' + value.reveal();
    }

    /**
     * Returns the token value.
     *
     * @return the secret value
     */
    public Secret value() {
        return value;
    }

    /**
     * Returns the token type, always {@value #BEARER}.
     *
     * @return {@value #BEARER}
     */
    public String tokenType() {
        return BEARER;
    }

    /**
     * Returns when the authorization server said the token expires, if it said.
     *
     * @return the expiry instant, or empty when the token response carried no {@code expires_in}
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * Returns the version of the {@link TokenSet} this token belongs to.
     *
     * @return the version; larger is newer
     */
    public long version() {
        return version;
    }

    /**
     * Returns the value for an {@code Authorization} request header: {@code Bearer} and the token.
     * The string is built once per token, so calling this is free.
     *
     * @return the header value, which contains the secret: send it, never log it
     */
    public String authorizationHeader() {
        return authorizationHeader;
    }

    @Override
    public String toString() {
        return "AccessToken[version=" + version + ", expiresAt=" + expiresAt + ", value=" + value + ']';
    }
}
