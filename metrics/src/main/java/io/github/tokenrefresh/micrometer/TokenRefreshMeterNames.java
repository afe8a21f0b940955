package io.github.tokenrefresh.micrometer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of the meters {@link TokenRefreshMetrics} registers, in Micrometer's dot-separated lowercase style; each
 * registry's naming convention turns them into its own form ({@code tokenrefresh.refresh} becomes the Prometheus
 * family {@code tokenrefresh_refresh_seconds}).
 *
 * <p>The defaults all start with {@value #DEFAULT_PREFIX}; {@link Builder#prefix(String)} moves every default under
 * another prefix, and each name can be set on its own. The Grafana dashboard shipped with this module queries the
 * default names: rename a meter and the dashboard's panels for it need the same rename.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenRefreshMeterNames {

    /** The prefix of every default name: the library's name, so its meters sort together in any backend. */
    public static final String DEFAULT_PREFIX = "tokenrefresh";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");

    private static final TokenRefreshMeterNames DEFAULTS = custom().build();

    private final String refresh;
    private final String calls;
    private final String coalescedCallers;
    private final String replays;
    private final String loopGuardTrips;
    private final String tokenExpiresIn;
    private final String reauthenticationRequired;

    private TokenRefreshMeterNames(Builder builder) {
        this.refresh = builder.refresh;
        this.calls = builder.calls;
        this.coalescedCallers = builder.coalescedCallers;
        this.replays = builder.replays;
        this.loopGuardTrips = builder.loopGuardTrips;
        this.tokenExpiresIn = builder.tokenExpiresIn;
        this.reauthenticationRequired = builder.reauthenticationRequired;
    }

    /**
     * Returns the default names, all under {@value #DEFAULT_PREFIX}.
     *
     * @return the shared default names
     */
    public static TokenRefreshMeterNames ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the default names.
     *
     * @return a new builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * Returns the name of the timer of token endpoint calls, tagged {@code name}, {@code trigger} and
     * {@code outcome}; default {@code tokenrefresh.refresh}.
     *
     * @return the timer's name
     */
    public String refresh() {
        return refresh;
    }

    /**
     * Returns the name of the counters of finished calls, tagged {@code name} and {@code outcome}; default
     * {@code tokenrefresh.calls}.
     *
     * @return the counters' name
     */
    public String calls() {
        return calls;
    }

    /**
     * Returns the name of the counter of callers that waited for a refresh already in flight; default
     * {@code tokenrefresh.coalesced.callers}.
     *
     * @return the counter's name
     */
    public String coalescedCallers() {
        return coalescedCallers;
    }

    /**
     * Returns the name of the counter of replayed calls; default {@code tokenrefresh.replays}.
     *
     * @return the counter's name
     */
    public String replays() {
        return replays;
    }

    /**
     * Returns the name of the counter of loop guard trips; default {@code tokenrefresh.loop.guard.trips}.
     *
     * @return the counter's name
     */
    public String loopGuardTrips() {
        return loopGuardTrips;
    }

    /**
     * Returns the name of the time gauge of how long the current access token has left; default
     * {@code tokenrefresh.token.expires.in}.
     *
     * @return the gauge's name
     */
    public String tokenExpiresIn() {
        return tokenExpiresIn;
    }

    /**
     * Returns the name of the gauge that is 1 while the policy requires re-authentication and 0 otherwise; default
     * {@code tokenrefresh.reauthentication.required}.
     *
     * @return the gauge's name
     */
    public String reauthenticationRequired() {
        return reauthenticationRequired;
    }

    @Override
    public String toString() {
        return "TokenRefreshMeterNames[refresh=" + refresh + ", calls=" + calls + ", coalescedCallers="
                + coalescedCallers + ", replays=" + replays + ", loopGuardTrips=" + loopGuardTrips
                + ", tokenExpiresIn=" + tokenExpiresIn + ", reauthenticationRequired=" + reauthenticationRequired
                + ']';
    }

    /**
     * Builds {@link TokenRefreshMeterNames}. Every option checks its argument when given: a name is lowercase
     * letters, digits and underscores in dot-separated parts, starting with a letter. Not thread-safe.
     */
    public static final class Builder {

        private String refresh;
        private String calls;
        private String coalescedCallers;
        private String replays;
        private String loopGuardTrips;
        private String tokenExpiresIn;
        private String reauthenticationRequired;

        private Builder() {
            applyPrefix(DEFAULT_PREFIX);
        }

        /**
         * Replaces every name by its default under another prefix, such as {@code myapp.oauth} for
         * {@code myapp.oauth.refresh}; names set before are overwritten, names set after win.
         *
         * @param prefix the prefix, without a trailing dot
         * @return this builder
         * @throws IllegalArgumentException if the prefix is not a valid name
         */
        public Builder prefix(String prefix) {
            applyPrefix(check("prefix", prefix));
            return this;
        }

        private void applyPrefix(String prefix) {
            refresh = prefix + ".refresh";
            calls = prefix + ".calls";
            coalescedCallers = prefix + ".coalesced.callers";
            replays = prefix + ".replays";
            loopGuardTrips = prefix + ".loop.guard.trips";
            tokenExpiresIn = prefix + ".token.expires.in";
            reauthenticationRequired = prefix + ".reauthentication.required";
        }

        /**
         * Sets the name of the refresh timer.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder refresh(String name) {
            refresh = check("refresh", name);
            return this;
        }

        /**
         * Sets the name of the call outcome counters.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder calls(String name) {
            calls = check("calls", name);
            return this;
        }

        /**
         * Sets the name of the coalesced callers counter.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder coalescedCallers(String name) {
            coalescedCallers = check("coalescedCallers", name);
            return this;
        }

        /**
         * Sets the name of the replay counter.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder replays(String name) {
            replays = check("replays", name);
            return this;
        }

        /**
         * Sets the name of the loop guard trip counter.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder loopGuardTrips(String name) {
            loopGuardTrips = check("loopGuardTrips", name);
            return this;
        }

        /**
         * Sets the name of the time-until-expiry gauge.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder tokenExpiresIn(String name) {
            tokenExpiresIn = check("tokenExpiresIn", name);
            return this;
        }

        /**
         * Sets the name of the re-authentication-required gauge.
         *
         * @param name the name
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder reauthenticationRequired(String name) {
            reauthenticationRequired = check("reauthenticationRequired", name);
            return this;
        }

        /**
         * Builds the names.
         *
         * @return the names
         * @throws IllegalStateException if two meters were given the same name
         */
        public TokenRefreshMeterNames build() {
            TokenRefreshMeterNames names = new TokenRefreshMeterNames(this);
            String[] all = {refresh, calls, coalescedCallers, replays, loopGuardTrips, tokenExpiresIn,
                    reauthenticationRequired};
            for (int i = 0; i < all.length; i++) {
                for (int j = i + 1; j < all.length; j++) {
                    if (all[i].equals(all[j])) {
                        throw new IllegalStateException("two meters are both named '" + all[i]
                                + "'; give each meter its own name in " + names);
                    }
                }
            }
            return names;
        }

        private static String check(String option, String name) {
            Objects.requireNonNull(name, option + " must not be null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(option + " must be lowercase dot-separated words such as "
                        + "'tokenrefresh.refresh', was '" + name + "'");
            }
            return name;
        }
    }
}
