/**
 * Micrometer instrumentation for token refresh policies.
 *
 * <ul>
 *   <li>{@link io.github.tokenrefresh.micrometer.TokenRefreshMetrics}: a
 *       {@link io.micrometer.core.instrument.binder.MeterBinder} for every policy of a
 *       {@link io.github.tokenrefresh.TokenRefreshRegistry} (following additions and removals) or for one policy:
 *       the refresh timer, call outcomes, coalesced callers, replays, loop guard trips, time until expiry and the
 *       re-authentication flag. Names come from
 *       {@link io.github.tokenrefresh.micrometer.TokenRefreshMeterNames}.</li>
 *   <li>{@link io.github.tokenrefresh.micrometer.ObservedTokenGrant}: an
 *       {@link io.micrometer.observation.Observation} per token endpoint call, described by
 *       {@link io.github.tokenrefresh.micrometer.TokenRefreshObservationDocumentation} and named by a
 *       {@link io.github.tokenrefresh.micrometer.TokenRefreshObservationConvention}.</li>
 *   <li>A Grafana dashboard over the default names, on the classpath at
 *       {@value io.github.tokenrefresh.micrometer.TokenRefreshMetrics#GRAFANA_DASHBOARD_RESOURCE} (Prometheus data
 *       source).</li>
 * </ul>
 */
package io.github.tokenrefresh.micrometer;
