package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binder's refresh timer and the observation's timer (through {@link DefaultMeterObservationHandler}) in one
 * meter registry: different names, the same tags and counts, and a way to keep only one.
 */
class MetersAndObservationsTest {

    private final ManualTime time = new ManualTime();
    private final TokenRefreshRegistry registry = TokenRefreshRegistry.of(time.config().build());
    private TokenRefreshMetrics metrics;

    @AfterEach
    void tearDown() {
        if (metrics != null) {
            metrics.close();
        }
        time.close();
    }

    private static ObservationRegistry observedInto(MeterRegistry meters) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return observations;
    }

    /** One policy per outcome, each refreshed once; orders also refreshes reactively. */
    private void refreshEveryOutcome(ObservationRegistry observations) {
        registry.policy("orders", ObservedTokenGrant.wrap(new ScriptedGrant(), observations));
        registry.policy("billing", ObservedTokenGrant.wrap(new ScriptedGrant()
                .thenFail(new TokenEndpointUnavailableException("HTTP 503", 503, null, null)), observations));
        registry.policy("audit", ObservedTokenGrant.wrap(new ScriptedGrant()
                .thenFail(new TokenEndpointProtocolException("not JSON", 200, null)), observations));
        registry.policy("legacy", ObservedTokenGrant.wrap(new ScriptedGrant()
                .thenFail(new ReauthenticationRequiredException("invalid_grant", "invalid_grant", null)),
                observations));

        TokenRefreshPolicy orders = registry.find("orders").orElseThrow();
        orders.refreshAfterRejection(orders.acquireToken());
        for (String failing : new String[] {"billing", "audit", "legacy"}) {
            assertThatThrownBy(registry.find(failing).orElseThrow()::acquireToken)
                    .isInstanceOf(RuntimeException.class);
        }
    }

    private static Map<String, Long> timers(MeterRegistry meters, String name) {
        Map<String, Long> counts = new TreeMap<>();
        for (Timer timer : meters.find(name).timers()) {
            counts.put(timer.getId().getTag("name") + "/" + timer.getId().getTag("trigger") + "/"
                    + timer.getId().getTag("outcome"), timer.count());
        }
        return counts;
    }

    @Test
    @DisplayName("Both timers time every refresh under their own names, with the same name/trigger/outcome tags")
    void shouldAgreeOnTagsAndCounts() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        metrics = TokenRefreshMetrics.ofRegistry(registry);
        metrics.bindTo(meters);

        refreshEveryOutcome(observedInto(meters));

        Map<String, Long> binder = timers(meters, "tokenrefresh.refresh");
        assertThat(binder).containsOnlyKeys("orders/initial/success", "orders/reactive/success",
                "billing/initial/transient_failure", "audit/initial/protocol_error", "legacy/initial/rejected");
        assertThat(binder).allSatisfy((tags, count) -> assertThat(count).isEqualTo(1L));
        assertThat(timers(meters, DefaultTokenRefreshObservationConvention.NAME)).isEqualTo(binder);
    }

    @Test
    @DisplayName("In a Prometheus registry that throws on conflicts, both timer families register side by side")
    void shouldNotConflictInPrometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                .throwExceptionOnRegistrationFailure();
        metrics = TokenRefreshMetrics.ofRegistry(registry);
        metrics.bindTo(prometheus);

        refreshEveryOutcome(observedInto(prometheus));

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.samples("tokenrefresh_refresh_seconds_count")).hasSize(5);
        assertThat(scrape.samples("tokenrefresh_grant_seconds_count")).hasSize(5);
    }

    @Test
    @DisplayName("With the binder's timer off, refreshes are timed once, by the observation, and the rest stays")
    void shouldTimeOnceWhenTheBinderLeavesTimingToObservations() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                .throwExceptionOnRegistrationFailure();
        metrics = TokenRefreshMetrics.builder(registry).refreshTimer(false).build();
        metrics.bindTo(prometheus);

        refreshEveryOutcome(observedInto(prometheus));
        time.clock.advance(Duration.ofMinutes(1));

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.samples("tokenrefresh_refresh_seconds_count")).isEmpty();
        assertThat(scrape.samples("tokenrefresh_grant_seconds_count")).hasSize(5);
        assertThat(scrape.value("tokenrefresh_token_expires_in_seconds", Map.of("name", "orders")))
                .isEqualTo(3540.0);
        assertThat(scrape.value("tokenrefresh_reauthentication_required", Map.of("name", "legacy")))
                .isEqualTo(1.0);
    }
}
