package io.github.tokenrefresh.testing;

import java.time.Instant;
import java.util.Objects;

/**
 * The tokens a {@link LoopbackTokenServer} issued when a test seeded a new token family with
 * {@link LoopbackTokenServer#issueFamily()}: what a client would hold right after logging in.
 *
 * <p>Every token later issued by refreshing {@link #refreshToken()} belongs to the same family, and
 * reuse of a rotated refresh token revokes all of them. {@link #toString()} leaves the token values
 * out.
 *
 * <p>Thread-safety: immutable.
 *
 * @param familyId the family's id, for {@link LoopbackTokenServer#revokeFamily(String)}; not secret
 * @param clientId the client the family was issued to
 * @param accessToken the initial access token
 * @param refreshToken the initial refresh token, generation 0 of the family
 * @param expiresAt when the access token expires on the server's clock
 * @param scope the granted scope, or null if none was given
 */
public record TokenFamily(String familyId, String clientId, String accessToken, String refreshToken,
        Instant expiresAt, String scope) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if any component but {@code scope} is null
     */
    public TokenFamily {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Describes the family without its token values.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the family id, client id, expiry and scope
     */
    @Override
    public String toString() {
        return "TokenFamily[familyId=" + familyId + ", clientId=" + clientId + ", expiresAt=" + expiresAt
                + ", scope=" + scope + ", accessToken=<redacted>, refreshToken=<redacted>]";
    }
}
