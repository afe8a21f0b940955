package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same refreshes as {@link TokenRefreshMetricsTest}, read the way Prometheus reads them: from the text scrape.
 */
class PrometheusRegistryTest {

    private final ManualTime time = new ManualTime();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            .throwExceptionOnRegistrationFailure();
    private final TokenRefreshRegistry registry = TokenRefreshRegistry.of(time.config().build());
    private TokenRefreshMetrics metrics = TokenRefreshMetrics.ofRegistry(registry);

    @AfterEach
    void tearDown() {
        metrics.close();
        time.close();
    }

    private static Map<String, String> refresh(String name, String trigger, String outcome) {
        return Map.of("name", name, "trigger", trigger, "outcome", outcome);
    }

    @Test
    @DisplayName("Success, transient failure, protocol error, rejection, coalesced callers, a replay: scraped exactly")
    void shouldExposeExactCountsAndTags() throws Exception {
        metrics.bindTo(prometheus);
        ScriptedGrant ordersGrant = new ScriptedGrant().hold();
        TokenRefreshPolicy orders = registry.policy("orders", ordersGrant);
        ScriptedGrant billingGrant = new ScriptedGrant()
                .thenFail(new TokenEndpointUnavailableException("HTTP 503", 503, null, null))
                .thenFail(new TokenEndpointProtocolException("an HTML page instead of JSON", 200, null));
        TokenRefreshPolicy billing = registry.policy("billing", billingGrant);
        TokenRefreshPolicy legacy = registry.policy("legacy", new ScriptedGrant()
                .thenFail(new ReauthenticationRequiredException("refused: invalid_grant", "invalid_grant", null)));

        List<CompletableFuture<String>> waiting = List.of(
                call(orders), call(orders), call(orders), call(orders));
        ordersGrant.release();
        for (CompletableFuture<String> call : waiting) {
            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
        }
        assertThat(orders.execute(RejectingCall.rejecting(ScriptedGrant.access(1)))).isEqualTo(200);

        assertThatThrownBy(billing::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        time.clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(billing::acquireToken).isInstanceOf(TokenEndpointProtocolException.class);
        time.clock.advance(Duration.ofMinutes(2));
        AccessToken billingToken = billing.acquireToken();
        assertThatThrownBy(legacy::acquireToken).isInstanceOf(ReauthenticationRequiredException.class);

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());

        assertThat(scrape.samples("tokenrefresh_refresh_seconds_count")).hasSize(6);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count", refresh("orders", "initial", "success")))
                .isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count", refresh("orders", "reactive", "success")))
                .isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count",
                refresh("billing", "initial", "transient_failure"))).isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count",
                refresh("billing", "initial", "protocol_error"))).isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count", refresh("billing", "initial", "success")))
                .isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_count", refresh("legacy", "initial", "rejected")))
                .isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_refresh_seconds_bucket",
                Map.of("name", "orders", "trigger", "initial", "outcome", "success", "le", "+Inf"))).isEqualTo(1.0);

        assertThat(scrape.value("tokenrefresh_coalesced_callers_total", Map.of("name", "orders"))).isEqualTo(3.0);
        assertThat(scrape.value("tokenrefresh_replays_total", Map.of("name", "orders"))).isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_calls_total",
                Map.of("name", "orders", "outcome", "successful_after_refresh"))).isEqualTo(5.0);
        assertThat(scrape.value("tokenrefresh_reauthentication_required", Map.of("name", "legacy")))
                .isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_reauthentication_required", Map.of("name", "billing")))
                .isEqualTo(0.0);
        // One hour from the reactive refresh, minus the four minutes billing's backoffs took.
        assertThat(scrape.value("tokenrefresh_token_expires_in_seconds", Map.of("name", "orders")))
                .isEqualTo(3360.0);
        assertThat(scrape.value("tokenrefresh_token_expires_in_seconds", Map.of("name", "legacy"))).isNaN();
        assertThat(billingToken.value().reveal()).isEqualTo(ScriptedGrant.access(3));
    }

    private static CompletableFuture<String> call(TokenRefreshPolicy policy) {
        return policy.executeCompletionStage(token -> CompletableFuture.completedFuture(token.value().reveal()))
                .toCompletableFuture();
    }

    @Test
    @DisplayName("The default buckets are the timer's le labels; a removed policy's series leave the scrape")
    void shouldPublishTheDefaultBucketsAndDropRemovedPolicies() {
        metrics.bindTo(prometheus);
        registry.policy("orders", new ScriptedGrant()).acquireToken();
        registry.policy("billing", new ScriptedGrant()).acquireToken();

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.samples("tokenrefresh_refresh_seconds_bucket").stream()
                .filter(sample -> sample.labels().get("name").equals("orders"))
                .map(sample -> sample.labels().get("le")))
                .containsExactly("0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");

        registry.remove("orders");
        String after = prometheus.scrape();
        assertThat(after).doesNotContain("name=\"orders\"").contains("name=\"billing\"");
    }

    @Test
    @DisplayName("Micrometer's percentile histogram publishes its own, finer buckets when switched on")
    void shouldPublishThePercentileHistogramWhenAsked() {
        metrics = TokenRefreshMetrics.builder(registry).percentileHistogram(true).histogramBuckets().build();
        metrics.bindTo(prometheus);
        registry.policy("orders", new ScriptedGrant()).acquireToken();

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.samples("tokenrefresh_refresh_seconds_bucket"))
                .hasSizeGreaterThan(TokenRefreshMetrics.DEFAULT_HISTOGRAM_BUCKETS.size() + 1);
    }

    @Test
    @DisplayName("Client-side percentiles become quantile series of a summary when the timer has no buckets")
    void shouldPublishClientSidePercentiles() {
        metrics = TokenRefreshMetrics.builder(registry).percentiles(0.5, 0.99).histogramBuckets().build();
        metrics.bindTo(prometheus);
        registry.policy("orders", new ScriptedGrant()).acquireToken();

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.samples("tokenrefresh_refresh_seconds"))
                .extracting(sample -> sample.labels().get("quantile"))
                .containsExactly("0.5", "0.99");
    }
}
