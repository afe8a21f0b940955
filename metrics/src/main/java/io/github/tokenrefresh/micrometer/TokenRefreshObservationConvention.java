package io.github.tokenrefresh.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observation of a token endpoint call and chooses its key values. Implement it, or extend
 * {@link DefaultTokenRefreshObservationConvention}, to rename the observation or add key values; pass it to
 * {@link ObservedTokenGrant.Builder#convention}, or register a
 * {@link io.micrometer.observation.GlobalObservationConvention} for every grant of an observation registry.
 * Implementations must be thread-safe.
 */
public interface TokenRefreshObservationConvention extends ObservationConvention<TokenRefreshObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof TokenRefreshObservationContext;
    }
}
