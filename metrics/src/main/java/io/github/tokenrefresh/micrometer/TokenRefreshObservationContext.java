package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.micrometer.observation.Observation;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What an observation of one token endpoint call knows: the policy, why it refreshes, where the endpoint is (when
 * configured) and, once the call has ended, how it ended.
 *
 * <p>It deliberately holds no token set, so no observation handler can reach a secret. Created by
 * {@link ObservedTokenGrant} for each call; the outcome is set just before the observation stops, possibly on
 * another thread than the one that started it, and is safe to read from any thread.
 */
public final class TokenRefreshObservationContext extends Observation.Context {

    private final String policyName;
    private final RefreshTrigger trigger;
    private final URI tokenEndpoint;
    private volatile RefreshOutcome outcome;

    /**
     * Creates the context of one call.
     *
     * @param policyName the name of the refreshing policy
     * @param trigger why the policy refreshes
     * @param tokenEndpoint the token endpoint without user info, query or fragment, or null if not configured
     */
    public TokenRefreshObservationContext(String policyName, RefreshTrigger trigger, URI tokenEndpoint) {
        this.policyName = Objects.requireNonNull(policyName, "policyName must not be null");
        this.trigger = Objects.requireNonNull(trigger, "trigger must not be null");
        this.tokenEndpoint = tokenEndpoint;
    }

    /**
     * Returns the name of the refreshing policy.
     *
     * @return the policy name
     */
    public String getPolicyName() {
        return policyName;
    }

    /**
     * Returns why the policy refreshes.
     *
     * @return the trigger
     */
    public RefreshTrigger getTrigger() {
        return trigger;
    }

    /**
     * Returns the token endpoint, as configured on the {@link ObservedTokenGrant}.
     *
     * @return the endpoint without user info, query or fragment, or empty if not configured
     */
    public Optional<URI> getTokenEndpoint() {
        return Optional.ofNullable(tokenEndpoint);
    }

    /**
     * Returns how the call ended, classified as the policy's refresh timer classifies it.
     *
     * @return the outcome, or empty while the call runs
     */
    public Optional<RefreshOutcome> getOutcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * Records how the call ended.
     *
     * @param outcome the outcome
     */
    public void setOutcome(RefreshOutcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome must not be null");
    }
}
