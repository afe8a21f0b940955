package io.github.tokenrefresh.micrometer.internal;

import io.github.tokenrefresh.micrometer.TokenRefreshMeterNames;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link io.github.tokenrefresh.micrometer.TokenRefreshMetrics} binder was configured with: names, extra
 * tags, and how the refresh timer publishes its distribution. Immutable.
 */
public final class MeterSettings {

    private final TokenRefreshMeterNames names;
    private final Tags tags;
    private final boolean refreshTimer;
    private final double[] percentiles;
    private final boolean percentileHistogram;
    private final Duration[] histogramBuckets;

    /**
     * Creates the settings.
     *
     * @param names the meter names
     * @param tags tags added to every meter
     * @param refreshTimer whether the refresh timer is registered
     * @param percentiles client-side percentiles of the refresh timer, possibly none
     * @param percentileHistogram whether the refresh timer publishes Micrometer's percentile histogram
     * @param histogramBuckets fixed histogram bucket boundaries of the refresh timer, possibly none
     */
    public MeterSettings(TokenRefreshMeterNames names, Tags tags, boolean refreshTimer, double[] percentiles,
            boolean percentileHistogram, Duration[] histogramBuckets) {
        this.names = Objects.requireNonNull(names, "names");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.refreshTimer = refreshTimer;
        this.percentiles = percentiles.clone();
        this.percentileHistogram = percentileHistogram;
        this.histogramBuckets = histogramBuckets.clone();
    }

    /**
     * Returns the meter names.
     *
     * @return the names
     */
    public TokenRefreshMeterNames names() {
        return names;
    }

    /**
     * Returns the tags added to every meter.
     *
     * @return the tags
     */
    public Tags tags() {
        return tags;
    }

    /**
     * Tells whether the refresh timer is registered.
     *
     * @return true unless the binder leaves timing to observations
     */
    public boolean refreshTimer() {
        return refreshTimer;
    }

    /**
     * Starts a builder of the refresh timer with its distribution settings; the caller adds the tags.
     *
     * @return a timer builder
     */
    public Timer.Builder refreshTimerBuilder() {
        Timer.Builder builder = Timer.builder(names.refresh())
                .description("Calls to the token endpoint, by what triggered them and how they ended")
                .publishPercentileHistogram(percentileHistogram);
        if (percentiles.length > 0) {
            builder.publishPercentiles(percentiles);
        }
        if (histogramBuckets.length > 0) {
            builder.serviceLevelObjectives(histogramBuckets);
        }
        return builder;
    }
}
