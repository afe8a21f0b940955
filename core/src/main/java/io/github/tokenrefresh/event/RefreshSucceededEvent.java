package io.github.tokenrefresh.event;

import io.github.tokenrefresh.RefreshTrigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A refresh produced new tokens, which are stored and now handed to callers.
 */
public final class RefreshSucceededEvent extends RefreshEvent {

    private final long tokenVersion;
    private final Instant expiresAt;
    private final boolean refreshTokenRotated;

    /**
     * Creates the event.
     *
     * @param policyName the publishing policy
     * @param trigger why the refresh was started
     * @param creationTime when, by the policy's clock
     * @param duration how long the refresh took
     * @param tokenVersion the version of the new token set
     * @param expiresAt when the new access token expires, or null if unknown
     * @param refreshTokenRotated whether the server issued a new refresh token
     */
    public RefreshSucceededEvent(String policyName, RefreshTrigger trigger, Instant creationTime, Duration duration,
            long tokenVersion, Instant expiresAt, boolean refreshTokenRotated) {
        super(policyName, trigger, creationTime, duration);
        this.tokenVersion = tokenVersion;
        this.expiresAt = expiresAt;
        this.refreshTokenRotated = refreshTokenRotated;
    }

    @Override
    public Type getEventType() {
        return Type.REFRESH_SUCCEEDED;
    }

    @Override
    public RefreshOutcome getOutcome() {
        return RefreshOutcome.SUCCESS;
    }

    /**
     * Returns the version of the new token set.
     *
     * @return the version
     */
    public long getTokenVersion() {
        return tokenVersion;
    }

    /**
     * Returns when the new access token expires.
     *
     * @return the expiry, or empty if the server did not say
     */
    public Optional<Instant> getExpiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * Tells whether the server rotated the refresh token.
     *
     * @return true if a new refresh token was issued and stored
     */
    public boolean isRefreshTokenRotated() {
        return refreshTokenRotated;
    }

    @Override
    protected String details() {
        return super.details() + ", tokenVersion=" + tokenVersion + ", expiresAt=" + expiresAt
                + ", refreshTokenRotated=" + refreshTokenRotated;
    }
}
