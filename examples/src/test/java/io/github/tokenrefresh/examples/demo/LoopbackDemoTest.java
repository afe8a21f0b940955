package io.github.tokenrefresh.examples.demo;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.micrometer.TokenRefreshMeterNames;
import io.github.tokenrefresh.micrometer.TokenRefreshMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One short loopback run (three seconds, two-second tokens, the revocation but no outage, a Prometheus registry),
 * checked from every side: the summary against Micrometer, Micrometer against the servers, the scrape against the
 * shipped Grafana dashboard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopbackDemoTest {

    private static final TokenRefreshMeterNames NAMES = TokenRefreshMeterNames.ofDefaults();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private LoopbackDemo demo;
    private DemoSummary summary;

    @BeforeAll
    void runTheDemo() throws Exception {
        DemoOptions options = DemoOptions.parse(List.of("--duration", "3", "--threads", "6", "--token-lifetime", "2",
                "--outage", "off", "--progress", "off", "--prometheus", "0"), Map.of());
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        demo = new LoopbackDemo(options, out);
        summary = demo.run();
        summary.print(out);
    }

    @AfterAll
    void stopTheDemo() {
        demo.close();
    }

    private double count(String name, String... tags) {
        return demo.meterRegistry().get(name).tags(tags).functionCounter().count();
    }

    @Test
    void shouldReportExactlyTheCountsMicrometerHolds() {
        MeterRegistry registry = demo.meterRegistry();
        String policy = LoopbackDemo.POLICY_NAME;

        for (String outcome : List.of(TokenRefreshMetrics.CALLS_SUCCESSFUL_WITHOUT_REFRESH,
                TokenRefreshMetrics.CALLS_SUCCESSFUL_AFTER_REFRESH, TokenRefreshMetrics.CALLS_FAILED,
                TokenRefreshMetrics.CALLS_REPLAY_REFUSED)) {
            assertThat(summary.callsByOutcome().get(outcome))
                    .as(outcome)
                    .isEqualTo(Math.round(count(NAMES.calls(), "name", policy, "outcome", outcome)));
        }
        registry.get(NAMES.refresh()).tag("name", policy).timers().forEach(timer -> assertThat(summary.refreshCount(
                trigger(timer.getId().getTag("trigger")), outcome(timer.getId().getTag("outcome"))))
                .isEqualTo(timer.count()));
        assertThat(summary.refreshes()).hasSameSizeAs(registry.get(NAMES.refresh()).timers());
        assertThat(summary.coalescedWaiters())
                .isEqualTo(Math.round(count(NAMES.coalescedCallers(), "name", policy)));
        assertThat(summary.replays()).isEqualTo(Math.round(count(NAMES.replays(), "name", policy)));
        assertThat(summary.loopGuardTrips()).isEqualTo(Math.round(count(NAMES.loopGuardTrips(), "name", policy)));
        assertThat(summary.requests()).isEqualTo(Math.round(registry.get(DemoMeters.REQUESTS).counters().stream()
                .mapToDouble(counter -> counter.count()).sum()));
        assertThat(summary.reuseDetections()).hasValue(Math.round(count(DemoMeters.REUSE_DETECTIONS)));
        assertThat(summary.tokenEndpointRequests()).hasValue(Math.round(count(DemoMeters.TOKEN_SERVER_REQUESTS)));
    }

    @Test
    void shouldNeverPresentARefreshTokenTwice() {
        assertThat(summary.reuseDetections()).hasValue(0);
        assertThat(demo.tokenServer().reuseDetections()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .containsPattern("refresh token reuse \\(must be 0\\) +0\\R");
    }

    @Test
    void shouldServeEveryCallerWithOneInitialRefreshAndRenewInTheBackground() {
        assertThat(summary.calls()).isPositive();
        assertThat(summary.refreshCount(RefreshTrigger.INITIAL, RefreshOutcome.SUCCESS)).isEqualTo(1);
        assertThat(summary.refreshCount(RefreshTrigger.PROACTIVE, RefreshOutcome.SUCCESS)).isPositive();
        assertThat(summary.refreshes()).allSatisfy(row -> assertThat(row.outcome()).isEqualTo("success"));
        assertThat(summary.callerFailures()).isZero();
        assertThat(summary.requestsByClient()).containsOnlyKeys("jdk", "apache-classic", "apache-async");
    }

    @Test
    void shouldAgreeWithWhatTheServersSaw() {
        long successfulRefreshes = summary.refreshes().stream().mapToLong(DemoSummary.RefreshRow::count).sum();

        assertThat(demo.tokenServer().requestCount()).isEqualTo(successfulRefreshes);
        assertThat(summary.tokenEndpointRequests()).hasValue(demo.tokenServer().requestCount());
        assertThat(demo.tokenServer().issuedCount()).isEqualTo(successfulRefreshes);
        assertThat(demo.resourceServer().okCount()).isEqualTo(summary.requests());
        assertThat(demo.resourceServer().unauthorizedCount()).isEqualTo(summary.replays()
                + summary.callsByOutcome().get(TokenRefreshMetrics.CALLS_REPLAY_REFUSED));
        assertThat(summary.calls()).isEqualTo(summary.requests());
    }

    @Test
    void shouldPrintTheSummaryTable() {
        String printed = output.toString(StandardCharsets.UTF_8);

        assertThat(printed).contains("tokenrefresh demo, loopback mode", "Summary, read from Micrometer",
                "refresh (initial) succeeded in", "incident: the token server revokes the access token in use");
        assertThat(printed).containsPattern("calls through the token policy +" + grouped(summary.calls()) + "\\R");
        assertThat(printed).containsPattern("initial, success +1 +[0-9.]+ ms +[0-9.]+ ms");
        assertThat(printed).containsPattern("caller failures +0\\R");
    }

    @Test
    void shouldServeEveryMetricTheShippedGrafanaDashboardQueries() throws Exception {
        String scrape = demo.prometheusRegistry().orElseThrow().scrape();
        String dashboard;
        try (InputStream json = TokenRefreshMetrics.class
                .getResourceAsStream(TokenRefreshMetrics.GRAFANA_DASHBOARD_RESOURCE)) {
            dashboard = new String(json.readAllBytes(), StandardCharsets.UTF_8);
        }

        Set<String> queried = new TreeSet<>();
        Matcher names = Pattern.compile("tokenrefresh_[a-z0-9_]+").matcher(dashboard);
        while (names.find()) {
            queried.add(names.group());
        }
        Set<String> served = Arrays.stream(scrape.split("\n"))
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(queried).isNotEmpty();
        assertThat(served).containsAll(queried);
        assertThat(sumOf(scrape, "tokenrefresh_calls_total")).isEqualTo(summary.calls());
    }

    private static long sumOf(String scrape, String family) {
        return Math.round(Arrays.stream(scrape.split("\n"))
                .filter(line -> line.startsWith(family + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum());
    }

    private static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static RefreshTrigger trigger(String tag) {
        return Arrays.stream(RefreshTrigger.values()).filter(value -> value.tagValue().equals(tag)).findFirst()
                .orElseThrow();
    }

    private static RefreshOutcome outcome(String tag) {
        return Arrays.stream(RefreshOutcome.values()).filter(value -> value.tagValue().equals(tag)).findFirst()
                .orElseThrow();
    }
}
