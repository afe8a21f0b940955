package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.event.EventConsumer;
import io.github.tokenrefresh.event.EventSubscription;
import io.github.tokenrefresh.event.RegistryEvent;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.store.TokenStore;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry behind {@link TokenRefreshRegistry#of}: a concurrent map, with events published after each change.
 */
public final class InMemoryTokenRefreshRegistry implements TokenRefreshRegistry {

    private final TokenRefreshConfig defaultConfig;
    private final ConcurrentMap<String, TokenRefreshPolicy> policies = new ConcurrentHashMap<>();
    private final ConsumerList<RegistryEvent> consumers = new ConsumerList<>("a token refresh registry");

    /**
     * Creates an empty registry.
     *
     * @param defaultConfig the configuration of policies created without one
     */
    public InMemoryTokenRefreshRegistry(TokenRefreshConfig defaultConfig) {
        this.defaultConfig = Objects.requireNonNull(defaultConfig, "defaultConfig must not be null");
    }

    @Override
    public TokenRefreshPolicy policy(String name, TokenGrant grant) {
        return policy(name, grant, defaultConfig);
    }

    @Override
    public TokenRefreshPolicy policy(String name, TokenGrant grant, TokenRefreshConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        return computeIfAbsent(name, () -> TokenRefreshPolicy.of(name, config, grant,
                new InMemoryTokenStore(config.getClock())));
    }

    @Override
    public TokenRefreshPolicy policy(String name, TokenGrant grant, TokenRefreshConfig config, TokenStore store) {
        return computeIfAbsent(name, () -> TokenRefreshPolicy.of(name, config, grant, store));
    }

    private TokenRefreshPolicy computeIfAbsent(String name, java.util.function.Supplier<TokenRefreshPolicy> factory) {
        Objects.requireNonNull(name, "name must not be null");
        TokenRefreshPolicy existing = policies.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        TokenRefreshPolicy policy = policies.computeIfAbsent(name, key -> {
            created[0] = true;
            return factory.get();
        });
        if (created[0]) {
            consumers.publish(new RegistryEvent(RegistryEvent.Type.ADDED, policy, null));
        }
        return policy;
    }

    @Override
    public TokenRefreshPolicy add(TokenRefreshPolicy policy) {
        Objects.requireNonNull(policy, "policy must not be null");
        TokenRefreshPolicy existing = policies.putIfAbsent(policy.getName(), policy);
        if (existing != null) {
            throw new IllegalStateException("a policy named '" + policy.getName() + "' is registered already; "
                    + "use replace(...) to swap it");
        }
        consumers.publish(new RegistryEvent(RegistryEvent.Type.ADDED, policy, null));
        return policy;
    }

    @Override
    public Optional<TokenRefreshPolicy> find(String name) {
        return Optional.ofNullable(policies.get(Objects.requireNonNull(name, "name must not be null")));
    }

    @Override
    public Optional<TokenRefreshPolicy> remove(String name) {
        TokenRefreshPolicy removed = policies.remove(Objects.requireNonNull(name, "name must not be null"));
        if (removed != null) {
            consumers.publish(new RegistryEvent(RegistryEvent.Type.REMOVED, removed, null));
        }
        return Optional.ofNullable(removed);
    }

    @Override
    public Optional<TokenRefreshPolicy> replace(TokenRefreshPolicy replacement) {
        Objects.requireNonNull(replacement, "replacement must not be null");
        TokenRefreshPolicy old = policies.put(replacement.getName(), replacement);
        if (old == null) {
            consumers.publish(new RegistryEvent(RegistryEvent.Type.ADDED, replacement, null));
        } else if (old != replacement) {
            consumers.publish(new RegistryEvent(RegistryEvent.Type.REPLACED, replacement, old));
        }
        return Optional.ofNullable(old);
    }

    @Override
    public Set<TokenRefreshPolicy> getAllPolicies() {
        return Set.copyOf(policies.values());
    }

    @Override
    public TokenRefreshConfig getDefaultConfig() {
        return defaultConfig;
    }

    @Override
    public EventSubscription subscribe(EventConsumer<RegistryEvent> consumer) {
        return consumers.subscribe(RegistryEvent.class, consumer);
    }

    @Override
    public String toString() {
        return "TokenRefreshRegistry[policies=" + policies.keySet() + ']';
    }
}
