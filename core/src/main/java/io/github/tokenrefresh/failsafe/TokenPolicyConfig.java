package io.github.tokenrefresh.failsafe;

import dev.failsafe.FailurePolicyConfig;
import dev.failsafe.event.EventListener;
import dev.failsafe.event.ExecutionAttemptedEvent;
import io.github.tokenrefresh.TokenRefreshPolicy;

import java.util.Objects;

/**
 * The configuration of a {@link TokenPolicy}: the {@link TokenRefreshPolicy} that owns the token, the conditions
 * that mark an attempt's outcome as a token rejection ({@link #getFailureConditions()}, set with the builder's
 * {@code handle…} methods), and the listeners.
 *
 * <p>Built by {@link TokenPolicyBuilder}; immutable once the policy is built, and thread-safe.
 *
 * @param <R> the result type
 */
public class TokenPolicyConfig<R> extends FailurePolicyConfig<R> {

    TokenRefreshPolicy tokenRefreshPolicy;
    EventListener<ExecutionAttemptedEvent<R>> replayListener;

    TokenPolicyConfig(TokenRefreshPolicy tokenRefreshPolicy) {
        this.tokenRefreshPolicy = Objects.requireNonNull(tokenRefreshPolicy, "tokenRefreshPolicy must not be null");
    }

    TokenPolicyConfig(TokenPolicyConfig<R> config) {
        super(config);
        this.tokenRefreshPolicy = config.tokenRefreshPolicy;
        this.replayListener = config.replayListener;
    }

    /**
     * Returns the policy that owns, refreshes and counts the token.
     *
     * @return the token refresh policy
     */
    public TokenRefreshPolicy getTokenRefreshPolicy() {
        return tokenRefreshPolicy;
    }

    /**
     * Returns the listener told before each replay.
     *
     * @return the listener, or null if none was set
     */
    public EventListener<ExecutionAttemptedEvent<R>> getReplayListener() {
        return replayListener;
    }
}
