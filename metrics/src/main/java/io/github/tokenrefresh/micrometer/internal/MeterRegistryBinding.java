package io.github.tokenrefresh.micrometer.internal;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.event.EventSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one binder put into one meter registry: the meters of each policy it follows and, for a policy registry, the
 * subscription that keeps them in step with the registry.
 *
 * <p>Registry events are not trusted to arrive in order (two threads may add and remove the same name at once), so
 * every event is answered by comparing what is bound under the event's name with what the registry holds under it
 * now. Thread-safe; all changes happen under this object's lock, never on a call's path.
 */
public final class MeterRegistryBinding implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeterRegistryBinding.class);

    private final MeterRegistry meterRegistry;
    private final MeterSettings settings;
    private final TokenRefreshRegistry policies;

    // Guarded by this.
    private final Map<String, PolicyMeters> bound = new HashMap<>();
    private EventSubscription subscription;
    private boolean closed;

    private MeterRegistryBinding(MeterRegistry meterRegistry, MeterSettings settings, TokenRefreshRegistry policies) {
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
        this.settings = settings;
        this.policies = policies;
    }

    /**
     * Binds every policy of {@code policies} and follows the registry from now on.
     *
     * @param policies the policy registry
     * @param meterRegistry where the meters go
     * @param settings names, tags and timer settings
     * @return the binding
     */
    public static MeterRegistryBinding ofRegistry(TokenRefreshRegistry policies, MeterRegistry meterRegistry,
            MeterSettings settings) {
        MeterRegistryBinding binding = new MeterRegistryBinding(meterRegistry, settings, policies);

        // Subscribe before listing, so a policy added in between is seen by one or the other (or both: harmless).
        EventSubscription subscription = policies.subscribe(event -> binding.reconcile(event.getPolicy().getName()));
        synchronized (binding) {
            binding.subscription = subscription;
            for (TokenRefreshPolicy policy : policies.getAllPolicies()) {
                binding.reconcile(policy.getName());
            }
        }
        return binding;
    }

    /**
     * Binds one policy.
     *
     * @param policy the policy
     * @param meterRegistry where the meters go
     * @param settings names, tags and timer settings
     * @return the binding
     */
    public static MeterRegistryBinding ofPolicy(TokenRefreshPolicy policy, MeterRegistry meterRegistry,
            MeterSettings settings) {
        MeterRegistryBinding binding = new MeterRegistryBinding(meterRegistry, settings, null);
        synchronized (binding) {
            binding.bound.put(policy.getName(), PolicyMeters.bind(policy, meterRegistry, settings));
        }
        return binding;
    }

    private synchronized void reconcile(String name) {
        if (closed) {
            return;
        }
        TokenRefreshPolicy current = policies.find(name).orElse(null);
        PolicyMeters meters = bound.get(name);
        if (meters != null && meters.policy() == current) {
            return;
        }
        if (meters != null) {
            bound.remove(name);
            meters.close();
            LOG.debug("Removed the meters of token refresh policy '{}'", name);
        }
        if (current != null) {
            bound.put(name, PolicyMeters.bind(current, meterRegistry, settings));
            LOG.debug("Bound meters to token refresh policy '{}'", name);
        }
    }

    /**
     * Stops following the registry and removes every meter this binding registered. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (subscription != null) {
            subscription.cancel();
        }
        bound.values().forEach(PolicyMeters::close);
        bound.clear();
    }
}
