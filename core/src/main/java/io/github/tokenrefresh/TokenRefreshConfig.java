package io.github.tokenrefresh;

import io.github.tokenrefresh.internal.SharedExecutors;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The immutable settings of a {@link TokenRefreshPolicy}: when a token counts as stale and expired, how long callers
 * wait for a refresh, how often a rejected call is replayed, how the loop guard and the failure backoff behave,
 * which origins receive the token, and which clock and threads the policy uses.
 *
 * <p>Create one with {@link #custom()}, {@link #ofDefaults()} or {@link #from(TokenRefreshConfig)}. Every builder
 * option checks its argument when given and names the option and the bad value if it is wrong. Instances are
 * immutable and thread-safe; one config may serve many policies.
 *
 * <h2>Fresh, stale, expired</h2>
 * A token is <em>fresh</em> until the stale threshold, then <em>stale</em>: the policy renews it in the
 * background while every call keeps using it. At the expiry threshold it is <em>expired</em>: calls wait for the
 * renewal, at most {@link #getRefreshTimeout()}. Each threshold is an absolute margin before the token's expiry,
 * capped by a fraction of the token's lifetime: under the defaults a one-hour token turns stale five minutes
 * before it expires, while a one-minute token turns stale after thirty seconds rather than at once.
 */
public final class TokenRefreshConfig {

    /** Stale margin: five minutes covers a slow token endpoint and a fleet's jitter with room to spare. */
    public static final Duration DEFAULT_STALE_MARGIN = Duration.ofMinutes(5);

    /** Stale fraction: a short-lived token turns stale halfway through its life, not the moment it arrives. */
    public static final double DEFAULT_STALE_FRACTION = 0.5;

    /** Expiry margin: thirty seconds absorbs ordinary clock skew between this host and the resource server. */
    public static final Duration DEFAULT_EXPIRY_MARGIN = Duration.ofSeconds(30);

    /** Expiry fraction: a short-lived token keeps nine tenths of its life usable. */
    public static final double DEFAULT_EXPIRY_FRACTION = 0.1;

    /** Jitter: up to a fifth of the stale margin earlier, enough to spread a fleet that started together. */
    public static final double DEFAULT_REFRESH_JITTER = 0.2;

    /** Refresh timeout: ten seconds, longer than a healthy token endpoint ever needs, short enough for a caller. */
    public static final Duration DEFAULT_REFRESH_TIMEOUT = Duration.ofSeconds(10);

    /** One replay: a token rejected right after a refresh will not be accepted on a third try either. */
    public static final int DEFAULT_MAX_REPLAYS = 1;

    /** Loop guard: more than five refreshes on rejection in thirty seconds means refreshing does not help. */
    public static final int DEFAULT_LOOP_GUARD_MAX_REFRESHES = 5;

    /** Loop guard window, see {@link #DEFAULT_LOOP_GUARD_MAX_REFRESHES}. */
    public static final Duration DEFAULT_LOOP_GUARD_WINDOW = Duration.ofSeconds(30);

    /** First backoff after a failed refresh: one second lets a restarting endpoint come back. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    /** Backoff growth per consecutive failure. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

    /** Longest backoff: one minute, so recovery is noticed quickly once the outage ends. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

    private static final TokenRefreshConfig DEFAULTS = custom().build();

    private final Duration staleMargin;
    private final double staleFraction;
    private final Duration expiryMargin;
    private final double expiryFraction;
    private final double refreshJitter;
    private final Duration refreshTimeout;
    private final int maxReplays;
    private final int loopGuardMaxRefreshes;
    private final Duration loopGuardWindow;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Set<Origin> allowedOrigins;
    private final Origin[] allowedOriginArray;

    private TokenRefreshConfig(Builder builder) {
        this.staleMargin = builder.staleMargin;
        this.staleFraction = builder.staleFraction;
        this.expiryMargin = builder.expiryMargin;
        this.expiryFraction = builder.expiryFraction;
        this.refreshJitter = builder.refreshJitter;
        this.refreshTimeout = builder.refreshTimeout;
        this.maxReplays = builder.maxReplays;
        this.loopGuardMaxRefreshes = builder.loopGuardMaxRefreshes;
        this.loopGuardWindow = builder.loopGuardWindow;
        this.initialBackoff = builder.initialBackoff;
        this.backoffMultiplier = builder.backoffMultiplier;
        this.maxBackoff = builder.maxBackoff;
        this.clock = builder.clock;
        this.executor = builder.executor;
        this.scheduler = builder.scheduler;
        this.allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowedOrigins));
        this.allowedOriginArray = allowedOrigins.toArray(new Origin[0]);
    }

    /**
     * Returns the default configuration: the documented {@code DEFAULT_*} values, the system UTC clock, the
     * library's shared daemon threads, and no allowed origin.
     *
     * @return the shared default configuration
     */
    public static TokenRefreshConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * Starts a builder holding the values of {@code base}.
     *
     * @param base the configuration to start from
     * @return a new builder
     */
    public static Builder from(TokenRefreshConfig base) {
        return new Builder(Objects.requireNonNull(base, "base config must not be null"));
    }

    /**
     * Returns the most a token may have left before it counts as stale.
     *
     * @return the stale margin
     */
    public Duration getStaleMargin() {
        return staleMargin;
    }

    /**
     * Returns the largest fraction of a token's lifetime the stale margin may take.
     *
     * @return a fraction in (0, 1)
     */
    public double getStaleFraction() {
        return staleFraction;
    }

    /**
     * Returns the most a token may have left before it counts as expired.
     *
     * @return the expiry margin
     */
    public Duration getExpiryMargin() {
        return expiryMargin;
    }

    /**
     * Returns the largest fraction of a token's lifetime the expiry margin may take.
     *
     * @return a fraction in [0, 1)
     */
    public double getExpiryFraction() {
        return expiryFraction;
    }

    /**
     * Returns how much earlier than the stale threshold a proactive refresh may start, as a fraction of the
     * effective stale margin; each token draws its own random share.
     *
     * @return a fraction in [0, 1]
     */
    public double getRefreshJitter() {
        return refreshJitter;
    }

    /**
     * Returns how long callers wait for one refresh, which is also the timeout the grant gives its token request.
     * When it passes, the waiting callers fail with {@link TokenEndpointUnavailableException}. An exchange that goes
     * on regardless is not abandoned at once: its late answer is still stored, and until it ends, callers that need
     * a refresh fail fast rather than start a second exchange with the same refresh token.
     *
     * @return the timeout
     */
    public Duration getRefreshTimeout() {
        return refreshTimeout;
    }

    /**
     * Returns how many times one call is sent again after its token was rejected.
     *
     * @return the replay limit, 0 to never replay
     */
    public int getMaxReplays() {
        return maxReplays;
    }

    /**
     * Returns how many refreshes on rejection the loop guard allows within its window.
     *
     * @return the limit
     */
    public int getLoopGuardMaxRefreshes() {
        return loopGuardMaxRefreshes;
    }

    /**
     * Returns the loop guard's window.
     *
     * @return the window
     */
    public Duration getLoopGuardWindow() {
        return loopGuardWindow;
    }

    /**
     * Returns the backoff after the first failed refresh.
     *
     * @return the initial backoff
     */
    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    /**
     * Returns the factor the backoff grows by with each further consecutive failure.
     *
     * @return the multiplier, at least 1
     */
    public double getBackoffMultiplier() {
        return backoffMultiplier;
    }

    /**
     * Returns the longest computed backoff. A server's {@code Retry-After} is honoured even when it is longer.
     *
     * @return the maximum backoff
     */
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    /**
     * Returns the clock that dates tokens and decides staleness and expiry.
     *
     * @return the clock
     */
    public Clock getClock() {
        return clock;
    }

    /**
     * Returns the executor that runs refreshes in the background.
     *
     * @return the executor
     */
    public Executor getExecutor() {
        return executor;
    }

    /**
     * Returns the scheduler that fires the stale and expiry transitions, backoff retries and refresh timeouts.
     *
     * @return the scheduler
     */
    public ScheduledExecutorService getScheduler() {
        return scheduler;
    }

    /**
     * Returns the origins the HTTP adapters attach the token to.
     *
     * @return an unmodifiable set, possibly empty
     */
    public Set<Origin> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Tells whether a request to {@code uri} may carry the token: its origin is allowed, and it is https or goes to
     * a loopback host. Allocates nothing, so adapters call it on every request.
     *
     * @param uri the request URI, may be null
     * @return true if the token may be attached
     */
    public boolean permitsToken(URI uri) {
        for (Origin origin : allowedOriginArray) {
            if (origin.matches(uri)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TokenRefreshConfig[staleMargin=" + staleMargin + ", staleFraction=" + staleFraction
                + ", expiryMargin=" + expiryMargin + ", expiryFraction=" + expiryFraction
                + ", refreshJitter=" + refreshJitter + ", refreshTimeout=" + refreshTimeout
                + ", maxReplays=" + maxReplays + ", loopGuard=" + loopGuardMaxRefreshes + " in " + loopGuardWindow
                + ", backoff=" + initialBackoff + " x" + backoffMultiplier + " up to " + maxBackoff
                + ", allowedOrigins=" + allowedOrigins + ']';
    }

    /**
     * Builds a {@link TokenRefreshConfig}. Not thread-safe.
     */
    public static final class Builder {

        private Duration staleMargin = DEFAULT_STALE_MARGIN;
        private double staleFraction = DEFAULT_STALE_FRACTION;
        private Duration expiryMargin = DEFAULT_EXPIRY_MARGIN;
        private double expiryFraction = DEFAULT_EXPIRY_FRACTION;
        private double refreshJitter = DEFAULT_REFRESH_JITTER;
        private Duration refreshTimeout = DEFAULT_REFRESH_TIMEOUT;
        private int maxReplays = DEFAULT_MAX_REPLAYS;
        private int loopGuardMaxRefreshes = DEFAULT_LOOP_GUARD_MAX_REFRESHES;
        private Duration loopGuardWindow = DEFAULT_LOOP_GUARD_WINDOW;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Clock clock = Clock.systemUTC();
        private Executor executor = SharedExecutors.refreshExecutor();
        private ScheduledExecutorService scheduler = SharedExecutors.scheduler();
        private final Set<Origin> allowedOrigins = new LinkedHashSet<>();

        private Builder() {
        }

        private Builder(TokenRefreshConfig base) {
            this.staleMargin = base.staleMargin;
            this.staleFraction = base.staleFraction;
            this.expiryMargin = base.expiryMargin;
            this.expiryFraction = base.expiryFraction;
            this.refreshJitter = base.refreshJitter;
            this.refreshTimeout = base.refreshTimeout;
            this.maxReplays = base.maxReplays;
            this.loopGuardMaxRefreshes = base.loopGuardMaxRefreshes;
            this.loopGuardWindow = base.loopGuardWindow;
            this.initialBackoff = base.initialBackoff;
            this.backoffMultiplier = base.backoffMultiplier;
            this.maxBackoff = base.maxBackoff;
            this.clock = base.clock;
            this.executor = base.executor;
            this.scheduler = base.scheduler;
            this.allowedOrigins.addAll(base.allowedOrigins);
        }

        /**
         * Sets the stale threshold: a token is renewed in the background once it has less than
         * {@code min(margin, fraction × lifetime)} left.
         *
         * @param margin the absolute margin, positive
         * @param fraction the cap as a share of the lifetime, in (0, 1)
         * @return this builder
         */
        public Builder staleThreshold(Duration margin, double fraction) {
            this.staleMargin = positive("staleThreshold margin", margin);
            this.staleFraction = fraction("staleThreshold fraction", fraction, false);
            return this;
        }

        /**
         * Sets the expiry threshold: a token is no longer sent once it has less than
         * {@code min(margin, fraction × lifetime)} left; calls then wait for the refresh.
         *
         * @param margin the absolute margin, zero or positive
         * @param fraction the cap as a share of the lifetime, in [0, 1)
         * @return this builder
         */
        public Builder expiryThreshold(Duration margin, double fraction) {
            this.expiryMargin = notNegative("expiryThreshold margin", margin);
            this.expiryFraction = fraction("expiryThreshold fraction", fraction, true);
            return this;
        }

        /**
         * Sets the jitter: each token's proactive refresh starts a random share of up to {@code fraction} of the
         * effective stale margin earlier, so a fleet started at once does not refresh at once.
         *
         * @param fraction in [0, 1]; 0 turns jitter off
         * @return this builder
         */
        public Builder refreshJitter(double fraction) {
            if (!(fraction >= 0.0 && fraction <= 1.0)) {
                throw new IllegalArgumentException("refreshJitter must be within [0, 1], was " + fraction);
            }
            this.refreshJitter = fraction;
            return this;
        }

        /**
         * Sets how long one refresh may take, and so the longest a caller waits for one.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder refreshTimeout(Duration timeout) {
            this.refreshTimeout = positive("refreshTimeout", timeout);
            return this;
        }

        /**
         * Sets how many times a call whose token was rejected is sent again with a refreshed token.
         *
         * @param maxReplays 0 to 10
         * @return this builder
         */
        public Builder maxReplays(int maxReplays) {
            if (maxReplays < 0 || maxReplays > 10) {
                throw new IllegalArgumentException("maxReplays must be within [0, 10], was " + maxReplays);
            }
            this.maxReplays = maxReplays;
            return this;
        }

        /**
         * Sets the loop guard: more than {@code maxRefreshes} refreshes on rejection within {@code window} make
         * the policy fail such calls with {@link RefreshLoopException} until the window has passed.
         *
         * @param maxRefreshes at least 1
         * @param window positive
         * @return this builder
         */
        public Builder loopGuard(int maxRefreshes, Duration window) {
            if (maxRefreshes < 1) {
                throw new IllegalArgumentException("loopGuard maxRefreshes must be at least 1, was " + maxRefreshes);
            }
            this.loopGuardWindow = positive("loopGuard window", window);
            this.loopGuardMaxRefreshes = maxRefreshes;
            return this;
        }

        /**
         * Sets the backoff after failed refreshes: {@code initial}, growing by {@code multiplier} per consecutive
         * failure up to {@code max}; each delay is drawn at random between half and all of that value. A server's
         * {@code Retry-After} replaces the computed delay.
         *
         * @param initial positive
         * @param multiplier at least 1
         * @param max at least {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, double multiplier, Duration max) {
            positive("backoff initial", initial);
            positive("backoff max", max);
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max " + max + " is shorter than initial " + initial);
            }
            this.initialBackoff = initial;
            this.backoffMultiplier = multiplier;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Sets the clock. Inject a fixed or manual clock in tests.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Sets the executor that starts background refreshes. The default is a shared pool of daemon threads.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Sets the scheduler for the stale and expiry transitions, backoff retries and refresh timeouts. The
         * default is one shared daemon thread. Delays are computed from {@link #clock(Clock)}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        /**
         * Adds origins that receive the token, such as {@code https://api.example.com}. Plain http is accepted
         * only for loopback hosts.
         *
         * @param origins one or more origins
         * @return this builder
         * @throws IllegalArgumentException for a malformed origin or plain http to a non-loopback host
         */
        public Builder allowedOrigins(String... origins) {
            Objects.requireNonNull(origins, "allowedOrigins must not be null");
            for (String origin : origins) {
                allowedOrigin(Origin.parse(origin));
            }
            return this;
        }

        /**
         * Adds origins that receive the token.
         *
         * @param origins the origins
         * @return this builder
         * @throws IllegalArgumentException for plain http to a non-loopback host
         */
        public Builder allowedOrigins(Collection<Origin> origins) {
            Objects.requireNonNull(origins, "allowedOrigins must not be null");
            origins.forEach(this::allowedOrigin);
            return this;
        }

        /**
         * Adds the origin of {@code uri}, convenient for a resource base URL.
         *
         * @param uri an absolute http or https URI
         * @return this builder
         */
        public Builder allowedOrigin(URI uri) {
            return allowedOrigin(Origin.of(uri));
        }

        private Builder allowedOrigin(Origin origin) {
            Objects.requireNonNull(origin, "origin must not be null");
            if (!origin.isSecureOrLoopback()) {
                throw new IllegalArgumentException("allowedOrigins: " + origin
                        + " uses plain http; bearer tokens travel only over https, or http to a loopback host");
            }
            allowedOrigins.add(origin);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         * @throws IllegalStateException if the expiry threshold is larger than the stale threshold
         */
        public TokenRefreshConfig build() {
            if (expiryMargin.compareTo(staleMargin) > 0 || expiryFraction > staleFraction) {
                throw new IllegalStateException("the expiry threshold (" + expiryMargin + ", " + expiryFraction
                        + ") must not exceed the stale threshold (" + staleMargin + ", " + staleFraction + ")");
            }
            return new TokenRefreshConfig(this);
        }

        private static Duration positive(String option, Duration value) {
            Objects.requireNonNull(value, option + " must not be null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration notNegative(String option, Duration value) {
            Objects.requireNonNull(value, option + " must not be null");
            if (value.isNegative()) {
                throw new IllegalArgumentException(option + " must not be negative, was " + value);
            }
            return value;
        }

        private static double fraction(String option, double value, boolean zeroAllowed) {
            boolean aboveFloor = zeroAllowed ? value >= 0.0 : value > 0.0;
            if (!(aboveFloor && value < 1.0)) {
                throw new IllegalArgumentException(
                        option + " must be within " + (zeroAllowed ? "[0, 1)" : "(0, 1)") + ", was " + value);
            }
            return value;
        }
    }
}
