package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.micrometer.TokenRefreshObservationDocumentation.HighCardinalityKeyNames;
import io.github.tokenrefresh.micrometer.TokenRefreshObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The convention of {@link TokenRefreshObservationDocumentation#TOKEN_GRANT}: the observation is named
 * {@value #NAME}, its contextual (span) name is {@code token refresh} and the trigger, and its low-cardinality key
 * values are the tags of the {@link TokenRefreshMetrics} refresh timer: {@code name}, {@code trigger} and
 * {@code outcome} ({@value #OUTCOME_UNKNOWN} while the call runs). The token endpoint, when configured, is a
 * high-cardinality key value, so it reaches traces but not meters.
 *
 * <p>The name differs from the binder's {@code tokenrefresh.refresh} on purpose: a meter registry that gets both
 * the binder and a meter observation handler holds two timers under two names instead of one name with two tag
 * sets. Extend this class to add key values. Stateless and thread-safe.
 */
public class DefaultTokenRefreshObservationConvention implements TokenRefreshObservationConvention {

    /** The observation's name; a meter observation handler's timer gets it too. */
    public static final String NAME = "tokenrefresh.grant";

    /** The {@code outcome} key's value while the call runs, so every observation carries the same keys. */
    public static final String OUTCOME_UNKNOWN = "unknown";

    /** A shared instance. */
    public static final DefaultTokenRefreshObservationConvention INSTANCE =
            new DefaultTokenRefreshObservationConvention();

    /**
     * Creates the convention; subclasses call it.
     */
    public DefaultTokenRefreshObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(TokenRefreshObservationContext context) {
        return "token refresh " + context.getTrigger().tagValue();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(TokenRefreshObservationContext context) {
        String outcome = context.getOutcome().map(value -> value.tagValue()).orElse(OUTCOME_UNKNOWN);
        return KeyValues.of(
                LowCardinalityKeyNames.POLICY_NAME.withValue(context.getPolicyName()),
                LowCardinalityKeyNames.TRIGGER.withValue(context.getTrigger().tagValue()),
                LowCardinalityKeyNames.OUTCOME.withValue(outcome));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(TokenRefreshObservationContext context) {
        return context.getTokenEndpoint()
                .map(uri -> KeyValues.of(HighCardinalityKeyNames.TOKEN_ENDPOINT.withValue(uri.toString())))
                .orElse(KeyValues.empty());
    }
}
