package io.github.tokenrefresh.event;

import io.github.tokenrefresh.TokenRefreshPolicy;

import java.util.Objects;
import java.util.Optional;

/**
 * A policy was added to, removed from or replaced in a {@link io.github.tokenrefresh.TokenRefreshRegistry}.
 * Immutable.
 */
public final class RegistryEvent {

    /**
     * The kinds of change.
     */
    public enum Type {
        /** A policy was added. */
        ADDED,
        /** A policy was removed. */
        REMOVED,
        /** A policy replaced another of the same name. */
        REPLACED
    }

    private final Type type;
    private final TokenRefreshPolicy policy;
    private final TokenRefreshPolicy replaced;

    /**
     * Creates the event.
     *
     * @param type the kind of change
     * @param policy the policy added, removed, or the replacement
     * @param replaced for {@link Type#REPLACED}, the policy that was replaced; otherwise null
     */
    public RegistryEvent(Type type, TokenRefreshPolicy policy, TokenRefreshPolicy replaced) {
        this.type = Objects.requireNonNull(type, "type");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.replaced = replaced;
    }

    /**
     * Returns the kind of change.
     *
     * @return the type
     */
    public Type getEventType() {
        return type;
    }

    /**
     * Returns the policy added or removed, or the replacement.
     *
     * @return the policy
     */
    public TokenRefreshPolicy getPolicy() {
        return policy;
    }

    /**
     * Returns the policy that was replaced.
     *
     * @return the old policy for {@link Type#REPLACED}, otherwise empty
     */
    public Optional<TokenRefreshPolicy> getReplacedPolicy() {
        return Optional.ofNullable(replaced);
    }

    @Override
    public String toString() {
        return "RegistryEvent[" + type + ", policy=" + policy.getName() + ']';
    }
}
