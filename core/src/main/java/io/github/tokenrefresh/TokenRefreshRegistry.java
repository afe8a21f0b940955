package io.github.tokenrefresh;

import io.github.tokenrefresh.event.EventConsumer;
import io.github.tokenrefresh.event.EventSubscription;
import io.github.tokenrefresh.event.RegistryEvent;
import io.github.tokenrefresh.internal.InMemoryTokenRefreshRegistry;
import io.github.tokenrefresh.store.TokenStore;

import java.util.Optional;
import java.util.Set;

/**
 * Holds an application's {@link TokenRefreshPolicy} instances by name, so the HTTP adapters and the metrics module
 * find them, and tells listeners when policies come and go.
 *
 * <p>{@code policy(name, …)} returns the policy of that name, creating it on first request; later requests get the
 * same instance whatever grant and config they pass. Thread-safe.
 */
public interface TokenRefreshRegistry {

    /**
     * Creates an empty registry whose policies use {@link TokenRefreshConfig#ofDefaults()} unless told otherwise.
     *
     * @return the registry
     */
    static TokenRefreshRegistry ofDefaults() {
        return of(TokenRefreshConfig.ofDefaults());
    }

    /**
     * Creates an empty registry with a default configuration for its policies.
     *
     * @param defaultConfig used when a policy is created without a config
     * @return the registry
     */
    static TokenRefreshRegistry of(TokenRefreshConfig defaultConfig) {
        return new InMemoryTokenRefreshRegistry(defaultConfig);
    }

    /**
     * Returns the policy named {@code name}, creating it with the default config and an in-memory store.
     *
     * @param name the name
     * @param grant how the policy obtains tokens, if it is created
     * @return the policy
     */
    TokenRefreshPolicy policy(String name, TokenGrant grant);

    /**
     * Returns the policy named {@code name}, creating it with {@code config} and an in-memory store.
     *
     * @param name the name
     * @param grant how the policy obtains tokens, if it is created
     * @param config its configuration, if it is created
     * @return the policy
     */
    TokenRefreshPolicy policy(String name, TokenGrant grant, TokenRefreshConfig config);

    /**
     * Returns the policy named {@code name}, creating it with {@code config} and {@code store}.
     *
     * @param name the name
     * @param grant how the policy obtains tokens, if it is created
     * @param config its configuration, if it is created
     * @param store where it keeps its tokens, if it is created
     * @return the policy
     */
    TokenRefreshPolicy policy(String name, TokenGrant grant, TokenRefreshConfig config, TokenStore store);

    /**
     * Adds a policy built elsewhere.
     *
     * @param policy the policy
     * @return the policy
     * @throws IllegalStateException if a policy of that name is registered already
     */
    TokenRefreshPolicy add(TokenRefreshPolicy policy);

    /**
     * Finds a policy.
     *
     * @param name the name
     * @return the policy, or empty
     */
    Optional<TokenRefreshPolicy> find(String name);

    /**
     * Removes a policy. The registry does not close it; the caller decides.
     *
     * @param name the name
     * @return the removed policy, or empty if there was none
     */
    Optional<TokenRefreshPolicy> remove(String name);

    /**
     * Replaces the policy of the same name as {@code replacement}.
     *
     * @param replacement the new policy
     * @return the replaced policy, or empty if there was none (then {@code replacement} was added)
     */
    Optional<TokenRefreshPolicy> replace(TokenRefreshPolicy replacement);

    /**
     * Returns every registered policy.
     *
     * @return an unmodifiable snapshot of the policies
     */
    Set<TokenRefreshPolicy> getAllPolicies();

    /**
     * Returns the configuration policies get when created without one.
     *
     * @return the default configuration
     */
    TokenRefreshConfig getDefaultConfig();

    /**
     * Registers a consumer of additions, removals and replacements. Consumers run on the thread that changed the
     * registry; one that throws is logged and skipped.
     *
     * @param consumer the consumer
     * @return the handle that removes it
     */
    EventSubscription subscribe(EventConsumer<RegistryEvent> consumer);
}
