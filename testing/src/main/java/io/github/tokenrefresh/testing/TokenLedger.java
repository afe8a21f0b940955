package io.github.tokenrefresh.testing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every token a loopback token server issued, grouped in families, with the rules of rotation and
 * reuse detection. One lock guards it all: the fixture favours exact counts over throughput.
 */
final class TokenLedger {

    /** Where an access token stands, with the words a resource server puts in its challenge. */
    enum AccessTokenState {
        ACTIVE("the access token is valid"),
        UNKNOWN("the access token is not known to the authorization server"),
        EXPIRED("the access token expired"),
        REVOKED("the access token was revoked");

        private final String description;

        AccessTokenState(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /** What a successful grant hands out; {@code refreshToken} is null when none is sent. */
    static final class Issued {

        final String familyId;
        final String accessToken;
        final long expiresInSeconds;
        final Instant expiresAt;
        final String refreshToken;
        final String scope;

        Issued(String familyId, String accessToken, long expiresInSeconds, Instant expiresAt,
                String refreshToken, String scope) {
            this.familyId = familyId;
            this.accessToken = accessToken;
            this.expiresInSeconds = expiresInSeconds;
            this.expiresAt = expiresAt;
            this.refreshToken = refreshToken;
            this.scope = scope;
        }
    }

    /** A refresh token's family and its place in the family's chain of rotations. */
    record Lineage(String familyId, int generation) {
    }

    /** 256 bits, as opaque and unguessable as a real server's tokens. */
    private static final int TOKEN_BYTES = 32;

    private static final class Family {

        final String id;
        final String clientId;
        final String scope;
        final List<String> accessTokens = new ArrayList<>();
        final List<String> refreshTokens = new ArrayList<>();
        boolean revoked;

        Family(String id, String clientId, String scope) {
            this.id = id;
            this.clientId = clientId;
            this.scope = scope;
        }
    }

    private static final class AccessEntry {

        final Family family;
        final Instant expiresAt;
        boolean revoked;

        AccessEntry(Family family, Instant expiresAt) {
            this.family = family;
            this.expiresAt = expiresAt;
        }
    }

    private static final class RefreshEntry {

        final Family family;
        final int generation;
        boolean used;
        boolean revoked;

        RefreshEntry(Family family, int generation) {
            this.family = family;
            this.generation = generation;
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Family> families = new HashMap<>();
    private final Map<String, AccessEntry> accessTokens = new HashMap<>();
    private final Map<String, RefreshEntry> refreshTokens = new HashMap<>();
    private Duration accessTokenLifetime;
    private boolean rotateRefreshTokens;
    private int reuseDetections;

    TokenLedger(Clock clock, Duration accessTokenLifetime, boolean rotateRefreshTokens) {
        this.clock = clock;
        this.accessTokenLifetime = accessTokenLifetime;
        this.rotateRefreshTokens = rotateRefreshTokens;
    }

    Clock clock() {
        return clock;
    }

    void setAccessTokenLifetime(Duration lifetime) {
        lock.lock();
        try {
            accessTokenLifetime = lifetime;
        } finally {
            lock.unlock();
        }
    }

    Duration accessTokenLifetime() {
        lock.lock();
        try {
            return accessTokenLifetime;
        } finally {
            lock.unlock();
        }
    }

    void setRotateRefreshTokens(boolean rotate) {
        lock.lock();
        try {
            rotateRefreshTokens = rotate;
        } finally {
            lock.unlock();
        }
    }

    boolean rotatesRefreshTokens() {
        lock.lock();
        try {
            return rotateRefreshTokens;
        } finally {
            lock.unlock();
        }
    }

    int reuseDetections() {
        lock.lock();
        try {
            return reuseDetections;
        } finally {
            lock.unlock();
        }
    }

    TokenFamily seedFamily(String clientId, String scope) {
        lock.lock();
        try {
            Family family = newFamily(clientId, scope);
            Issued issued = issueAccessToken(family, scope);
            String refreshToken = issueRefreshToken(family);
            return new TokenFamily(family.id, clientId, issued.accessToken, refreshToken, issued.expiresAt, scope);
        } finally {
            lock.unlock();
        }
    }

    Issued refresh(String clientId, String refreshToken, String requestedScope) throws TokenEndpointError {
        lock.lock();
        try {
            RefreshEntry entry = refreshTokens.get(refreshToken);
            if (entry == null) {
                throw TokenEndpointError.invalidGrant("refresh token unknown");
            }

            Family family = entry.family;
            if (!family.clientId.equals(clientId)) {
                throw TokenEndpointError.invalidGrant("refresh token was issued to another client");
            }
            if (family.revoked || entry.revoked) {
                throw TokenEndpointError.invalidGrant("refresh token revoked");
            }
            if (entry.used) {
                // A rotated token coming back means two parties hold the family, and the server
                // cannot tell which one is legitimate, so RFC 9700 has it revoke them all.
                revoke(family);
                reuseDetections++;
                throw TokenEndpointError.invalidGrant("refresh token reuse detected");
            }

            String scope = narrowedScope(family.scope, requestedScope);
            Issued access = issueAccessToken(family, scope);
            if (!rotateRefreshTokens) {
                return access;
            }

            entry.used = true;
            String rotated = issueRefreshToken(family);
            return new Issued(family.id, access.accessToken, access.expiresInSeconds, access.expiresAt,
                    rotated, scope);
        } finally {
            lock.unlock();
        }
    }

    Issued clientCredentials(String clientId, String scope) {
        lock.lock();
        try {
            return issueAccessToken(newFamily(clientId, scope), scope);
        } finally {
            lock.unlock();
        }
    }

    AccessTokenState state(String accessToken) {
        lock.lock();
        try {
            AccessEntry entry = accessTokens.get(accessToken);
            if (entry == null) {
                return AccessTokenState.UNKNOWN;
            }
            if (entry.revoked || entry.family.revoked) {
                return AccessTokenState.REVOKED;
            }
            if (!clock.instant().isBefore(entry.expiresAt)) {
                return AccessTokenState.EXPIRED;
            }
            return AccessTokenState.ACTIVE;
        } finally {
            lock.unlock();
        }
    }

    boolean revoke(String token) {
        lock.lock();
        try {
            AccessEntry access = accessTokens.get(token);
            if (access != null) {
                access.revoked = true;
                return true;
            }
            RefreshEntry refresh = refreshTokens.get(token);
            if (refresh != null) {
                refresh.revoked = true;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean revokeFamily(String familyId) {
        lock.lock();
        try {
            Family family = families.get(familyId);
            if (family == null) {
                return false;
            }
            revoke(family);
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isFamilyRevoked(String familyId) {
        lock.lock();
        try {
            Family family = families.get(familyId);
            return family != null && family.revoked;
        } finally {
            lock.unlock();
        }
    }

    /** Where a refresh token came from, for recording without its value; null if unknown. */
    Lineage lineage(String refreshToken) {
        lock.lock();
        try {
            RefreshEntry entry = refreshTokens.get(refreshToken);
            return entry == null ? null : new Lineage(entry.family.id, entry.generation);
        } finally {
            lock.unlock();
        }
    }

    private Family newFamily(String clientId, String scope) {
        Family family = new Family("family-" + (families.size() + 1), clientId, scope);
        families.put(family.id, family);
        return family;
    }

    private Issued issueAccessToken(Family family, String scope) {
        String token = newTokenValue();
        Instant expiresAt = clock.instant().plus(accessTokenLifetime);
        accessTokens.put(token, new AccessEntry(family, expiresAt));
        family.accessTokens.add(token);
        return new Issued(family.id, token, accessTokenLifetime.getSeconds(), expiresAt, null, scope);
    }

    private String issueRefreshToken(Family family) {
        String token = newTokenValue();
        refreshTokens.put(token, new RefreshEntry(family, family.refreshTokens.size()));
        family.refreshTokens.add(token);
        return token;
    }

    private void revoke(Family family) {
        family.revoked = true;
        for (String token : family.accessTokens) {
            accessTokens.get(token).revoked = true;
        }
        for (String token : family.refreshTokens) {
            refreshTokens.get(token).revoked = true;
        }
    }

    private String newTokenValue() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 6749 §6: a refresh may ask for less than was granted, never more. */
    private static String narrowedScope(String granted, String requested) throws TokenEndpointError {
        if (requested == null) {
            return granted;
        }

        Set<String> allowed = granted == null ? Set.of() : new HashSet<>(Arrays.asList(granted.split(" ")));
        for (String scope : requested.split(" ")) {
            if (!scope.isEmpty() && !allowed.contains(scope)) {
                throw TokenEndpointError.invalidScope("scope '" + scope + "' was not granted to this family");
            }
        }
        return requested;
    }
}
