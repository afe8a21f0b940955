package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshLoopException;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.TokenSet;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.github.tokenrefresh.micrometer.TokenRefreshMetrics.CALLS_FAILED;
import static io.github.tokenrefresh.micrometer.TokenRefreshMetrics.CALLS_REPLAY_REFUSED;
import static io.github.tokenrefresh.micrometer.TokenRefreshMetrics.CALLS_SUCCESSFUL_AFTER_REFRESH;
import static io.github.tokenrefresh.micrometer.TokenRefreshMetrics.CALLS_SUCCESSFUL_WITHOUT_REFRESH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class TokenRefreshMetricsTest {

    private final ManualTime time = new ManualTime();
    private final ScriptedGrant grant = new ScriptedGrant();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MeterReadings orders = new MeterReadings(meters, "orders");
    private TokenRefreshMetrics metrics;

    @AfterEach
    void tearDown() {
        if (metrics != null) {
            metrics.close();
        }
        time.close();
    }

    private TokenRefreshPolicy boundPolicy(TokenRefreshConfig config) {
        TokenRefreshRegistry registry = TokenRefreshRegistry.of(config);
        TokenRefreshPolicy policy = registry.policy("orders", grant);
        metrics = TokenRefreshMetrics.ofRegistry(registry);
        metrics.bindTo(meters);
        return policy;
    }

    private TokenRefreshPolicy boundPolicy() {
        return boundPolicy(time.config().build());
    }

    private static TokenEndpointUnavailableException unavailable() {
        return new TokenEndpointUnavailableException("HTTP 503 from the token endpoint", 503, null, null);
    }

    @Test
    @DisplayName("Initial, reactive and proactive refreshes are each counted once under their trigger, as success")
    void shouldTimeSuccessfulRefreshesByTrigger() {
        TokenRefreshPolicy policy = boundPolicy();

        policy.executeSupplier(token -> "initial");
        assertThat(policy.execute(RejectingCall.rejecting(ScriptedGrant.access(1)))).isEqualTo(200);
        // Stale after 55 minutes (the 5 minute margin); the stale timer refreshes in the background.
        time.clock.advance(Duration.ofMinutes(56));

        assertThat(grant.calls()).isEqualTo(3);
        assertThat(orders.refreshes()).containsExactly(
                entry("initial/success", 1L), entry("proactive/success", 1L), entry("reactive/success", 1L));
        assertThat(orders.refreshTimer("initial", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    @DisplayName("A transient failure, a protocol error and a terminal rejection each get their own outcome")
    void shouldTimeFailedRefreshesByOutcome() {
        TokenRefreshPolicy policy = boundPolicy();
        grant.thenFail(unavailable())
                .thenFail(new TokenEndpointProtocolException("the token endpoint answered HTML", 200, null))
                .thenFail(new ReauthenticationRequiredException("refused: invalid_grant", "invalid_grant", null));

        assertThatThrownBy(() -> policy.executeSupplier(token -> "x"))
                .isInstanceOf(TokenEndpointUnavailableException.class);
        time.clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> policy.executeSupplier(token -> "x"))
                .isInstanceOf(TokenEndpointProtocolException.class);
        time.clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> policy.executeSupplier(token -> "x"))
                .isInstanceOf(ReauthenticationRequiredException.class);
        assertThatThrownBy(() -> policy.executeSupplier(token -> "x"))
                .isInstanceOf(ReauthenticationRequiredException.class);

        assertThat(grant.calls()).isEqualTo(3);
        assertThat(orders.refreshes()).containsExactly(
                entry("initial/protocol_error", 1L), entry("initial/rejected", 1L),
                entry("initial/transient_failure", 1L));
        assertThat(orders.calls(CALLS_FAILED)).isEqualTo(4.0);
    }

    @Test
    @DisplayName("The re-authentication gauge is 1 after a terminal rejection and 0 again once tokens are supplied")
    void shouldFlagReauthenticationRequired() {
        TokenRefreshPolicy policy = boundPolicy();
        assertThat(orders.reauthenticationRequired()).isZero();

        grant.thenFail(new ReauthenticationRequiredException("refused: invalid_grant", "invalid_grant", null));
        assertThatThrownBy(policy::acquireToken).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(orders.reauthenticationRequired()).isEqualTo(1.0);

        policy.supplyTokens(TokenSet.builder().accessToken("after-login").refreshToken("r")
                .expiresAt(time.clock.instant().plus(Duration.ofHours(1))).build());
        assertThat(orders.reauthenticationRequired()).isZero();
    }

    @Test
    @DisplayName("Call outcomes are counted exactly: without refresh, after refresh, failed, replay refused")
    void shouldCountCallOutcomes() {
        TokenRefreshPolicy policy = boundPolicy();

        policy.executeSupplier(token -> "waits for the initial refresh");
        for (int i = 0; i < 5; i++) {
            policy.executeSupplier(token -> "fresh token");
        }
        policy.execute(RejectingCall.rejecting(ScriptedGrant.access(1)));
        assertThat(policy.execute(RejectingCall.notReplayableRejecting(ScriptedGrant.access(2)))).isEqualTo(401);
        assertThatThrownBy(() -> policy.executeSupplier(token -> {
            throw new IllegalStateException("the resource server is down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(orders.calls()).containsExactly(
                entry(CALLS_FAILED, 1.0), entry(CALLS_REPLAY_REFUSED, 1.0),
                entry(CALLS_SUCCESSFUL_AFTER_REFRESH, 2.0), entry(CALLS_SUCCESSFUL_WITHOUT_REFRESH, 5.0));
        assertThat(orders.replays()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("32 threads waiting for the first token: one refresh timed, 31 coalesced callers counted")
    void shouldCountCoalescedCallersFromManyThreads() throws Exception {
        int callers = 32;
        TokenRefreshPolicy policy = boundPolicy();
        grant.hold();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return policy.executeSupplier(token -> token.value().reveal());
                }));
            }
            start.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> orders.coalescedCallers() == callers - 1);
            grant.release();
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ScriptedGrant.access(1));
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(grant.calls()).isEqualTo(1);
        assertThat(orders.refreshes()).containsExactly(entry("initial/success", 1L));
        assertThat(orders.coalescedCallers()).isEqualTo(callers - 1.0);
        assertThat(orders.calls(CALLS_SUCCESSFUL_AFTER_REFRESH)).isEqualTo(callers);
    }

    @Test
    @DisplayName("Replays and loop guard trips are counted: one trip however many calls the tripped guard refuses")
    void shouldCountReplaysAndLoopGuardTrips() {
        TokenRefreshPolicy policy = boundPolicy(time.config().loopGuard(1, Duration.ofSeconds(30)).build());
        policy.acquireToken();
        RejectingCall everyTokenRejected = RejectingCall.rejecting(
                ScriptedGrant.access(1), ScriptedGrant.access(2), ScriptedGrant.access(3));

        assertThat(policy.execute(everyTokenRejected)).isEqualTo(401);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> policy.execute(everyTokenRejected)).isInstanceOf(RefreshLoopException.class);
        }

        assertThat(orders.replays()).isEqualTo(1.0);
        assertThat(orders.loopGuardTrips()).isEqualTo(1.0);
        assertThat(orders.refreshes()).containsExactly(entry("initial/success", 1L), entry("reactive/success", 1L));
        assertThat(orders.calls()).contains(entry(CALLS_REPLAY_REFUSED, 1.0), entry(CALLS_FAILED, 3.0));
    }

    @Test
    @DisplayName("The expiry gauge is NaN before the first token, counts down with the clock, is negative once expired")
    void shouldReportTimeUntilExpiry() {
        TokenRefreshPolicy policy = boundPolicy();
        assertThat(orders.secondsUntilExpiry()).isNaN();

        policy.acquireToken();
        assertThat(orders.secondsUntilExpiry()).isEqualTo(3600.0);
        time.clock.advance(Duration.ofMinutes(10).plusMillis(500));
        assertThat(orders.secondsUntilExpiry()).isEqualTo(2999.5);

        policy.supplyTokens(TokenSet.builder().accessToken("already-expired")
                .expiresAt(time.clock.instant().minusSeconds(30)).build());
        assertThat(orders.secondsUntilExpiry()).isEqualTo(-30.0);
    }

    @Test
    @DisplayName("The refresh timer publishes the default buckets, and configured percentiles and buckets instead")
    void shouldPublishTheConfiguredDistribution() {
        TokenRefreshPolicy policy = boundPolicy();
        policy.acquireToken();
        HistogramSnapshot defaults = orders.refreshTimer("initial", "success").takeSnapshot();
        assertThat(Arrays.stream(defaults.histogramCounts()).map(b -> Duration.ofNanos((long) b.bucket())))
                .containsExactlyElementsOf(TokenRefreshMetrics.DEFAULT_HISTOGRAM_BUCKETS);
        assertThat(defaults.percentileValues()).isEmpty();
        metrics.close();

        SimpleMeterRegistry custom = new SimpleMeterRegistry();
        TokenRefreshMetrics configured = TokenRefreshMetrics.builder(policy)
                .percentiles(0.5, 0.99)
                .histogramBuckets(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build();
        configured.bindTo(custom);
        policy.refreshAfterRejection(policy.acquireToken());
        HistogramSnapshot snapshot = new MeterReadings(custom, "orders").refreshTimer("reactive", "success")
                .takeSnapshot();
        configured.close();

        assertThat(snapshot.percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.99);
        assertThat(snapshot.histogramCounts()).extracting(CountAtBucket::bucket)
                .containsExactly((double) TimeUnit.MILLISECONDS.toNanos(100), (double) TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    @DisplayName("Binder tags and custom names reach every meter; the dashboard's default names are then unused")
    void shouldApplyTagsAndNames() {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", time.config().build(), grant);
        metrics = TokenRefreshMetrics.builder(policy)
                .names(TokenRefreshMeterNames.custom().prefix("myapp.oauth").replays("myapp.oauth.retransmissions")
                        .build())
                .tags("region", "eu")
                .tags(List.of(Tag.of("tier", "gold")))
                .histogramBuckets()
                .build();
        metrics.bindTo(meters);
        policy.acquireToken();

        assertThat(meters.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrder(
                "myapp.oauth.refresh", "myapp.oauth.calls", "myapp.oauth.calls", "myapp.oauth.calls",
                "myapp.oauth.calls", "myapp.oauth.coalesced.callers", "myapp.oauth.retransmissions",
                "myapp.oauth.loop.guard.trips", "myapp.oauth.token.expires.in",
                "myapp.oauth.reauthentication.required");
        assertThat(meters.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                .contains(Tag.of("name", "orders"), Tag.of("region", "eu"), Tag.of("tier", "gold")));
    }

    @Test
    @DisplayName("Builder options name themselves and the bad value when rejected")
    void shouldRejectBadOptions() {
        TokenRefreshMetrics.Builder builder = TokenRefreshMetrics.builder(TokenRefreshRegistry.ofDefaults());

        assertThatThrownBy(() -> builder.tags("outcome", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'outcome'");
        assertThatThrownBy(() -> builder.tags("region"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs");
        assertThatThrownBy(() -> builder.percentiles(0.5, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentiles")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> builder.histogramBuckets(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("histogramBuckets")
                .hasMessageContaining("PT0S");
    }

    @Test
    @DisplayName("With the refresh timer off, every other meter is still registered and no timer appears")
    void shouldLeaveTheTimerOutWhenAsked() {
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", time.config().build(), grant);
        metrics = TokenRefreshMetrics.builder(policy).refreshTimer(false).build();
        metrics.bindTo(meters);

        policy.executeSupplier(token -> "x");
        policy.refreshAfterRejection(policy.acquireToken());

        assertThat(meters.find("tokenrefresh.refresh").timers()).isEmpty();
        assertThat(orders.calls(CALLS_SUCCESSFUL_AFTER_REFRESH)).isEqualTo(1.0);
        assertThat(orders.secondsUntilExpiry()).isEqualTo(3600.0);
    }

    @Test
    @DisplayName("No tag value is a token: only policy names and the documented words appear")
    void shouldNeverTagWithATokenValue() {
        TokenRefreshPolicy policy = boundPolicy();
        grant.thenFail(unavailable());
        assertThatThrownBy(policy::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        time.clock.advance(Duration.ofMinutes(2));
        AccessToken token = policy.acquireToken();
        policy.execute(RejectingCall.rejecting(token.value().reveal()));
        policy.execute(RejectingCall.notReplayableRejecting(ScriptedGrant.access(3)));

        Set<String> allowed = Set.of("orders", "initial", "proactive", "reactive", "success", "transient_failure",
                "rejected", "protocol_error", CALLS_SUCCESSFUL_WITHOUT_REFRESH, CALLS_SUCCESSFUL_AFTER_REFRESH,
                CALLS_FAILED, CALLS_REPLAY_REFUSED);
        List<Meter> all = orders.all();
        // Three timers, each with its ten bucket gauges (SimpleMeterRegistry's "le" tags), and nine other meters.
        assertThat(all).hasSize(3 * 11 + 9);
        assertThat(all).flatExtracting(meter -> meter.getId().getTags()).allSatisfy(tag -> {
            if (tag.getKey().equals("le")) {
                assertThat(Double.parseDouble(tag.getValue())).isPositive();
            } else {
                assertThat(allowed).contains(tag.getValue());
            }
        });
        assertThat(grant.calls()).isEqualTo(3);
    }
}
