package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.micrometer.internal.MeterRegistryBinding;
import io.github.tokenrefresh.micrometer.internal.MeterSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Binds the meters of token refresh policies to a Micrometer {@link MeterRegistry}: of every policy in a
 * {@link TokenRefreshRegistry}, following it as policies are added, removed and replaced, or of one policy.
 *
 * <pre>{@code
 * TokenRefreshMetrics metrics = TokenRefreshMetrics.ofRegistry(tokenRefreshRegistry);
 * metrics.bindTo(meterRegistry);
 * ...
 * metrics.close(); // removes the meters and the event consumers
 * }</pre>
 *
 * <p>Each policy gets these meters, all tagged {@value #TAG_NAME} with the policy's name plus the binder's
 * {@link Builder#tags(Iterable) tags} (names as in {@link TokenRefreshMeterNames#ofDefaults()}):
 * <ul>
 *   <li>{@code tokenrefresh.refresh}, a timer of calls to the token endpoint tagged {@value #TAG_TRIGGER}
 *       ({@code initial}, {@code proactive}, {@code reactive}) and {@value #TAG_OUTCOME} ({@code success},
 *       {@code transient_failure}, {@code rejected}, {@code protocol_error}); its count is the number of
 *       refreshes, there is no separate counter. A timer for a trigger and outcome appears on the first such
 *       refresh. By default it publishes the fixed {@link #DEFAULT_HISTOGRAM_BUCKETS} and no client-side
 *       percentiles;</li>
 *   <li>{@code tokenrefresh.calls}, function counters of calls tagged {@value #TAG_OUTCOME}
 *       {@value #CALLS_SUCCESSFUL_WITHOUT_REFRESH}, {@value #CALLS_SUCCESSFUL_AFTER_REFRESH},
 *       {@value #CALLS_FAILED} or {@value #CALLS_REPLAY_REFUSED};</li>
 *   <li>{@code tokenrefresh.coalesced.callers}, {@code tokenrefresh.replays} and
 *       {@code tokenrefresh.loop.guard.trips}, function counters;</li>
 *   <li>{@code tokenrefresh.token.expires.in}, a time gauge of how long the current access token has left
 *       (negative once expired, NaN before the first token), and {@code tokenrefresh.reauthentication.required},
 *       a gauge that is 1 while the policy requires re-authentication.</li>
 * </ul>
 * The counters and gauges read the policy's own {@link TokenRefreshPolicy#getMetrics() counters} when the registry
 * is read, so measuring adds nothing to a call. Tag values are policy names and the fixed words above: never a
 * token, a URL or anything unbounded.
 *
 * <p><b>Meters or observations.</b> {@link ObservedTokenGrant} times the same token endpoint calls as an
 * Observation, named {@value DefaultTokenRefreshObservationConvention#NAME} by default, so a meter registry given
 * both never sees two meters under one name. To time each refresh once, through observations only, build this
 * binder with {@link Builder#refreshTimer(boolean) refreshTimer(false)}; the other meters stay.
 *
 * <p>{@link #bindTo(MeterRegistry)} may be called for several meter registries; a second call with the same one
 * does nothing. Two binders covering the same policy in one meter registry share its meters, so closing either
 * removes them: bind each policy once per meter registry. Thread-safe. Closing the binder cancels every event
 * consumer it attached and removes every meter it registered; a closed binder cannot be bound again.
 */
public final class TokenRefreshMetrics implements MeterBinder, AutoCloseable {

    /** The tag holding the policy's name, on every meter. */
    public static final String TAG_NAME = "name";

    /** The tag holding the refresh trigger, on the refresh timer. */
    public static final String TAG_TRIGGER = "trigger";

    /** The tag holding the refresh outcome on the refresh timer, and the call outcome on the call counters. */
    public static final String TAG_OUTCOME = "outcome";

    /** Call outcome: the call succeeded with the token it started with. */
    public static final String CALLS_SUCCESSFUL_WITHOUT_REFRESH = "successful_without_refresh";

    /** Call outcome: the call succeeded after waiting for a refresh or being replayed. */
    public static final String CALLS_SUCCESSFUL_AFTER_REFRESH = "successful_after_refresh";

    /** Call outcome: the call ended with an exception. */
    public static final String CALLS_FAILED = "failed";

    /** Call outcome: the call's token was rejected and the call was not replayed. */
    public static final String CALLS_REPLAY_REFUSED = "replay_refused";

    /**
     * Histogram buckets of the refresh timer: 10 ms to 10 s (the default refresh timeout). Ten buckets give the
     * dashboard's p50 and p99 for a healthy endpoint and for one at its timeout, where Micrometer's full
     * percentile histogram would publish about seventy series per timer.
     */
    public static final List<Duration> DEFAULT_HISTOGRAM_BUCKETS = List.of(
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** The classpath resource of the Grafana dashboard built on the default meter names. */
    public static final String GRAFANA_DASHBOARD_RESOURCE = "/io/github/tokenrefresh/micrometer/grafana-dashboard.json";

    private static final Set<String> RESERVED_TAGS = Set.of(TAG_NAME, TAG_TRIGGER, TAG_OUTCOME);

    private final TokenRefreshRegistry policies;
    private final TokenRefreshPolicy policy;
    private final MeterSettings settings;

    // Guarded by this.
    private final Map<MeterRegistry, MeterRegistryBinding> bindings = new IdentityHashMap<>();
    private boolean closed;

    private TokenRefreshMetrics(Builder builder) {
        this.policies = builder.policies;
        this.policy = builder.policy;
        this.settings = new MeterSettings(builder.names, builder.tags, builder.refreshTimer, builder.percentiles,
                builder.percentileHistogram, builder.histogramBuckets);
    }

    /**
     * Creates a binder with the defaults for every policy of {@code registry}, present and future.
     *
     * @param registry the policy registry to follow
     * @return the binder, not yet bound
     */
    public static TokenRefreshMetrics ofRegistry(TokenRefreshRegistry registry) {
        return builder(registry).build();
    }

    /**
     * Creates a binder with the defaults for one policy.
     *
     * @param policy the policy
     * @return the binder, not yet bound
     */
    public static TokenRefreshMetrics ofPolicy(TokenRefreshPolicy policy) {
        return builder(policy).build();
    }

    /**
     * Starts a builder of a binder for every policy of {@code registry}, present and future.
     *
     * @param registry the policy registry to follow
     * @return a builder
     */
    public static Builder builder(TokenRefreshRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry must not be null"), null);
    }

    /**
     * Starts a builder of a binder for one policy.
     *
     * @param policy the policy
     * @return a builder
     */
    public static Builder builder(TokenRefreshPolicy policy) {
        return new Builder(null, Objects.requireNonNull(policy, "policy must not be null"));
    }

    /**
     * Registers the meters of the policies in {@code registry}; for a policy registry, also attaches the consumer
     * that binds policies added later and unbinds removed ones. Does nothing if this binder is bound to
     * {@code registry} already.
     *
     * @param registry the meter registry
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        if (closed) {
            throw new IllegalStateException("this TokenRefreshMetrics was closed and cannot be bound again; "
                    + "build a new one");
        }
        if (bindings.containsKey(registry)) {
            return;
        }
        MeterRegistryBinding binding = policies != null
                ? MeterRegistryBinding.ofRegistry(policies, registry, settings)
                : MeterRegistryBinding.ofPolicy(policy, registry, settings);
        bindings.put(registry, binding);
    }

    /**
     * Removes from {@code registry} every meter this binder registered there, and stops following the policy
     * registry on its behalf. Other meter registries stay bound.
     *
     * @param registry the meter registry
     * @return true if this binder was bound to it
     */
    public synchronized boolean unbindFrom(MeterRegistry registry) {
        MeterRegistryBinding binding = bindings.remove(Objects.requireNonNull(registry, "registry must not be null"));
        if (binding == null) {
            return false;
        }
        binding.close();
        return true;
    }

    /**
     * Unbinds from every meter registry: cancels the event consumers this binder attached and removes its meters.
     * Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        closed = true;
        bindings.values().forEach(MeterRegistryBinding::close);
        bindings.clear();
    }

    @Override
    public String toString() {
        return "TokenRefreshMetrics[" + (policies != null ? "registry" : "policy=" + policy.getName()) + ", names="
                + settings.names() + ", tags=" + settings.tags() + ']';
    }

    /**
     * Builds a {@link TokenRefreshMetrics}. Every option checks its argument when given. Not thread-safe.
     */
    public static final class Builder {

        private final TokenRefreshRegistry policies;
        private final TokenRefreshPolicy policy;
        private TokenRefreshMeterNames names = TokenRefreshMeterNames.ofDefaults();
        private Tags tags = Tags.empty();
        private boolean refreshTimer = true;
        private double[] percentiles = new double[0];
        private boolean percentileHistogram;
        private Duration[] histogramBuckets = DEFAULT_HISTOGRAM_BUCKETS.toArray(new Duration[0]);

        private Builder(TokenRefreshRegistry policies, TokenRefreshPolicy policy) {
            this.policies = policies;
            this.policy = policy;
        }

        /**
         * Sets the meter names.
         *
         * @param names the names; default {@link TokenRefreshMeterNames#ofDefaults()}
         * @return this builder
         */
        public Builder names(TokenRefreshMeterNames names) {
            this.names = Objects.requireNonNull(names, "names must not be null");
            return this;
        }

        /**
         * Adds tags to every meter of this binder, on top of the meter registry's own common tags.
         *
         * @param tags the tags; their keys must not be {@value #TAG_NAME}, {@value #TAG_TRIGGER} or
         *             {@value #TAG_OUTCOME}
         * @return this builder
         * @throws IllegalArgumentException if a key is reserved
         */
        public Builder tags(Iterable<Tag> tags) {
            Objects.requireNonNull(tags, "tags must not be null");
            for (Tag tag : tags) {
                if (RESERVED_TAGS.contains(tag.getKey())) {
                    throw new IllegalArgumentException("tags must not use the key '" + tag.getKey()
                            + "': the binder sets it on its meters; reserved keys are " + RESERVED_TAGS);
                }
            }
            this.tags = this.tags.and(tags);
            return this;
        }

        /**
         * Adds tags to every meter of this binder, as alternating keys and values.
         *
         * @param keyValues keys and values, such as {@code "region", "eu"}
         * @return this builder
         * @throws IllegalArgumentException if the count is odd or a key is reserved
         */
        public Builder tags(String... keyValues) {
            Objects.requireNonNull(keyValues, "tags must not be null");
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("tags must be keys and values in pairs, got "
                        + keyValues.length + " strings");
            }
            return tags(Tags.of(keyValues));
        }

        /**
         * Chooses whether the refresh timer is registered. Leave it off when {@link ObservedTokenGrant} with a
         * meter observation handler times the refreshes already, so each refresh is timed once.
         *
         * @param enabled false to register every meter but the refresh timer; default true
         * @return this builder
         */
        public Builder refreshTimer(boolean enabled) {
            this.refreshTimer = enabled;
            return this;
        }

        /**
         * Sets client-side percentiles of the refresh timer, computed in this process. They cannot be aggregated
         * across instances; prefer the histogram for a fleet. The Prometheus registry publishes them (as a summary)
         * only when the timer has no histogram, that is with {@code histogramBuckets()} empty.
         *
         * @param percentiles each between 0 and 1, such as {@code 0.5, 0.99}; none by default
         * @return this builder
         * @throws IllegalArgumentException if a value is outside 0 to 1
         */
        public Builder percentiles(double... percentiles) {
            Objects.requireNonNull(percentiles, "percentiles must not be null");
            for (double percentile : percentiles) {
                if (!(percentile >= 0.0 && percentile <= 1.0)) {
                    throw new IllegalArgumentException("percentiles must be between 0 and 1, was " + percentile);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /**
         * Chooses whether the refresh timer publishes Micrometer's percentile histogram, about seventy buckets
         * chosen by Micrometer, in addition to {@link #histogramBuckets(Duration...)}.
         *
         * @param enabled true to publish it; default false
         * @return this builder
         */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * Sets the histogram bucket boundaries of the refresh timer, which a backend such as Prometheus turns into
         * percentiles across instances.
         *
         * @param boundaries positive durations; none to publish no fixed buckets; default
         *                   {@link #DEFAULT_HISTOGRAM_BUCKETS}
         * @return this builder
         * @throws IllegalArgumentException if a boundary is zero or negative
         */
        public Builder histogramBuckets(Duration... boundaries) {
            Objects.requireNonNull(boundaries, "histogramBuckets must not be null");
            for (Duration boundary : boundaries) {
                Objects.requireNonNull(boundary, "histogramBuckets must not contain null");
                if (boundary.isNegative() || boundary.isZero()) {
                    throw new IllegalArgumentException("histogramBuckets must be positive, was " + boundary);
                }
            }
            this.histogramBuckets = boundaries.clone();
            return this;
        }

        /**
         * Builds the binder.
         *
         * @return the binder, not yet bound
         */
        public TokenRefreshMetrics build() {
            return new TokenRefreshMetrics(this);
        }
    }
}
