package io.github.tokenrefresh.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations this module makes, with their key names, for documentation generators and for tests that check
 * an observation carries what is documented.
 */
public enum TokenRefreshObservationDocumentation implements ObservationDocumentation {

    /**
     * One call of a policy's {@link io.github.tokenrefresh.TokenGrant}: normally one request to the token endpoint,
     * from the moment the policy asks for new tokens until the grant's answer (or failure) is in. Made by
     * {@link ObservedTokenGrant}.
     */
    TOKEN_GRANT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultTokenRefreshObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /**
     * Key names with a small, fixed set of values, fit for meter tags.
     */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The policy's name, as configured by the application. */
        POLICY_NAME("name"),

        /** Why the policy refreshed: {@code initial}, {@code proactive} or {@code reactive}. */
        TRIGGER("trigger"),

        /**
         * How the call ended: {@code success}, {@code transient_failure}, {@code rejected} or
         * {@code protocol_error}; {@code unknown} while it runs.
         */
        OUTCOME("outcome");

        private final String key;

        LowCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /**
     * Key names for traces only.
     */
    public enum HighCardinalityKeyNames implements KeyName {

        /**
         * The token endpoint's URI without user info, query or fragment; present only when configured with
         * {@link ObservedTokenGrant.Builder#tokenEndpoint(java.net.URI)}.
         */
        TOKEN_ENDPOINT("token.endpoint") {
            @Override
            public boolean isRequired() {
                return false;
            }
        };

        private final String key;

        HighCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
