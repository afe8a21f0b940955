package io.github.tokenrefresh;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TokenGrant} is asked: the token set the policy holds (whose refresh token a {@code refresh_token}
 * grant presents), why it refreshes, and how long the answer may take.
 *
 * <p>Immutable and thread-safe. {@link #toString()} holds no secret.
 */
public final class GrantRequest {

    private final String policyName;
    private final TokenSet current;
    private final RefreshTrigger trigger;
    private final Duration timeout;

    /**
     * Creates a request.
     *
     * @param policyName the asking policy's name
     * @param current the token set held now, or null before the first one
     * @param trigger why the policy refreshes
     * @param timeout how long the answer may take
     */
    public GrantRequest(String policyName, TokenSet current, RefreshTrigger trigger, Duration timeout) {
        this.policyName = Objects.requireNonNull(policyName, "policyName");
        this.current = current;
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Returns the asking policy's name.
     *
     * @return the name
     */
    public String policyName() {
        return policyName;
    }

    /**
     * Returns the token set the policy holds now.
     *
     * @return the current set, or empty before the first refresh
     */
    public Optional<TokenSet> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Returns why the policy refreshes.
     *
     * @return the trigger
     */
    public RefreshTrigger trigger() {
        return trigger;
    }

    /**
     * Returns how long the answer may take; a grant passes it on to its HTTP request.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "GrantRequest[policy=" + policyName + ", trigger=" + trigger + ", current=" + current
                + ", timeout=" + timeout + ']';
    }
}
