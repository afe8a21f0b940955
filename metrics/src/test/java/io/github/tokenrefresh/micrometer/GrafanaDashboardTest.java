package io.github.tokenrefresh.micrometer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshLoopException;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.jdk.JdkTokenEndpointTransport;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Checks the Grafana dashboard shipped in this module against what a Prometheus registry really exposes after real
 * refreshes over HTTP: every metric a panel or variable queries exists, with every label it matches, groups by or
 * shows in a legend, and every matcher selects at least one series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardTest {

    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    private final ManualTime time = new ManualTime();
    private final LoopbackTokenServer server = LoopbackTokenServer.start();
    private final TokenRefreshRegistry registry = TokenRefreshRegistry.of(time.config().build());
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            .throwExceptionOnRegistrationFailure();
    private final TokenRefreshMetrics metrics = TokenRefreshMetrics.ofRegistry(registry);
    private JsonNode dashboard;
    private PrometheusScrape scrape;

    @BeforeAll
    void refreshForRealAndScrape() throws Exception {
        metrics.bindTo(prometheus);
        try (InputStream json = TokenRefreshMetrics.class.getResourceAsStream(
                TokenRefreshMetrics.GRAFANA_DASHBOARD_RESOURCE)) {
            assertThat(json).as("the dashboard on the classpath").isNotNull();
            dashboard = new ObjectMapper().readTree(json);
        }

        // billing: a 503, then an HTML page, then tokens; each after the previous backoff has passed.
        TokenRefreshPolicy billing = registry.policy("billing", grant());
        server.enqueue(ScriptedResponse.error(503, "temporarily_unavailable"));
        assertThatThrownBy(billing::acquireToken).isInstanceOf(TokenEndpointUnavailableException.class);
        time.clock.advance(Duration.ofMinutes(2));
        server.enqueue(ScriptedResponse.body(200, "text/html", "<html>maintenance</html>"));
        assertThatThrownBy(billing::acquireToken).isInstanceOf(TokenEndpointProtocolException.class);
        time.clock.advance(Duration.ofMinutes(2));
        billing.acquireToken();

        // legacy: the refresh token is refused for good.
        TokenRefreshPolicy legacy = registry.policy("legacy", grant());
        server.enqueue(ScriptedResponse.error(400, "invalid_grant"));
        assertThatThrownBy(legacy::acquireToken).isInstanceOf(ReauthenticationRequiredException.class);

        // orders: eight callers share the first refresh, then one call is rejected and replayed.
        TokenRefreshPolicy orders = registry.policy("orders", grant());
        server.holdResponses();
        List<CompletableFuture<Integer>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(orders.executeCompletionStage(token -> CompletableFuture.completedFuture(200))
                    .toCompletableFuture());
        }
        assertThat(server.awaitHeldResponses(1, Duration.ofSeconds(10))).isTrue();
        server.releaseResponses();
        for (CompletableFuture<Integer> caller : callers) {
            assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }
        String first = orders.acquireToken().value().reveal();
        assertThat(orders.execute(RejectingCall.rejecting(first))).isEqualTo(200);

        // search: every token is rejected, so the loop guard (one refresh on rejection per 30 s) trips.
        TokenRefreshPolicy search = registry.policy("search", grant(),
                time.config().loopGuard(1, Duration.ofSeconds(30)).build());
        search.acquireToken();
        assertThat(search.execute(RejectingCall.rejectingEveryToken())).isEqualTo(401);
        assertThatThrownBy(() -> search.execute(RejectingCall.rejectingEveryToken()))
                .isInstanceOf(RefreshLoopException.class);

        // Every token got so far turns stale at the same instant; the stale timers refresh them in the background.
        time.clock.advance(Duration.ofMinutes(55));
        await().atMost(Duration.ofSeconds(10)).until(() -> prometheus.find("tokenrefresh.refresh")
                .tag("trigger", "proactive").timers().stream().mapToLong(Timer::count).sum() == 3);

        scrape = PrometheusScrape.parse(prometheus.scrape());
    }

    @AfterAll
    void tearDown() {
        metrics.close();
        server.close();
        time.close();
    }

    private TokenGrant grant() {
        TokenEndpoint endpoint = TokenEndpoint.builder(server.tokenEndpoint())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(LoopbackTokenServer.DEFAULT_CLIENT_ID,
                        Secret.of(LoopbackTokenServer.DEFAULT_CLIENT_SECRET)))
                .transport(JdkTokenEndpointTransport.create())
                .build();
        return RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(Secret.of(server.issueFamily().refreshToken()))
                .build();
    }

    @Test
    @DisplayName("The refreshes really happened over HTTP, with every outcome and trigger the dashboard shows")
    void shouldHaveRefreshedForReal() {
        Set<String> seen = scrape.samples("tokenrefresh_refresh_seconds_count").stream()
                .map(s -> s.labels().get("trigger") + "/" + s.labels().get("outcome"))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(seen).containsExactly("initial/protocol_error", "initial/rejected", "initial/success",
                "initial/transient_failure", "proactive/success", "reactive/success");
        assertThat(scrape.value("tokenrefresh_coalesced_callers_total", Map.of("name", "orders"))).isEqualTo(7.0);
        assertThat(scrape.value("tokenrefresh_replays_total", Map.of("name", "orders"))).isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_loop_guard_trips_total", Map.of("name", "search"))).isEqualTo(1.0);
        assertThat(scrape.value("tokenrefresh_reauthentication_required", Map.of("name", "legacy"))).isEqualTo(1.0);
        // billing 3, legacy 1, orders 2 (initial, reactive), search 2 (the tripped guard sends none), 3 proactive.
        assertThat(server.requestCount()).isEqualTo(11);
    }

    @Test
    @DisplayName("The dashboard is importable: schema version, a Prometheus data source variable, a policy variable")
    void shouldBeImportable() {
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();

        JsonNode datasource = variable("datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        JsonNode name = variable("name");
        assertThat(name.path("type").asText()).isEqualTo("query");
        assertThat(name.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        assertThat(name.path("multi").asBoolean()).isTrue();
        assertThat(name.path("includeAll").asBoolean()).isTrue();

        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText())
                    .as("data source of panel '%s'", panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("queries of panel '%s'", panel.path("title").asText())
                    .isNotEmpty();
        }
    }

    @Test
    @DisplayName("The policy variable lists exactly the policies in the scrape")
    void shouldListThePoliciesInTheNameVariable() {
        JsonNode name = variable("name");
        String query = name.path("query").isObject() ? name.path("query").path("query").asText()
                : name.path("query").asText();
        Matcher labelValues = LABEL_VALUES.matcher(query);
        assertThat(labelValues.matches()).as("label_values query: %s", query).isTrue();

        Set<String> listed = scrape.samples(labelValues.group(1)).stream()
                .map(sample -> sample.labels().get(labelValues.group(2)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).containsExactly("billing", "legacy", "orders", "search");
        assertThat(name.path("definition").asText()).isEqualTo(query);
    }

    @Test
    @DisplayName("Every metric every panel queries exists with the labels it matches, groups by and shows")
    void shouldQueryOnlyWhatTheScrapeHolds() {
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries++;
                problems.addAll(check(panel.path("title").asText(), target.path("expr").asText(),
                        target.path("legendFormat").asText()));
            }
        }

        assertThat(queries).isGreaterThanOrEqualTo(9);
        assertThat(problems).isEmpty();
    }

    @Test
    @DisplayName("The dashboard covers refresh rate by outcome, p50/p99 latency, coalescing, replays, expiry, re-auth")
    void shouldCoverWhatUsersMonitor() {
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        Set<String> metricsQueried = expressions.stream()
                .flatMap(expr -> PromQl.read(expr).selectors().stream())
                .map(PromQl.Selector::metric)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(metricsQueried).containsExactlyInAnyOrder("tokenrefresh_refresh_seconds_count",
                "tokenrefresh_refresh_seconds_bucket", "tokenrefresh_calls_total",
                "tokenrefresh_coalesced_callers_total", "tokenrefresh_replays_total",
                "tokenrefresh_loop_guard_trips_total", "tokenrefresh_token_expires_in_seconds",
                "tokenrefresh_reauthentication_required");
        assertThat(expressions).anySatisfy(expr -> assertThat(expr)
                .contains("tokenrefresh_refresh_seconds_count").containsPattern("by \\([^)]*outcome"));
        assertThat(expressions).anySatisfy(expr -> assertThat(expr)
                .startsWith("histogram_quantile(0.5,").contains("tokenrefresh_refresh_seconds_bucket"));
        assertThat(expressions).anySatisfy(expr -> assertThat(expr)
                .startsWith("histogram_quantile(0.99,").contains("tokenrefresh_refresh_seconds_bucket"));
    }

    @Test
    @DisplayName("The check finds a missing metric, a missing label, a matcher that selects nothing, a bad legend")
    void shouldCatchQueriesTheScrapeCannotAnswer() {
        assertThat(check("t", "rate(tokenrefresh_refreshes_total{name=~\"$name\"}[5m])", ""))
                .singleElement().asString().contains("tokenrefresh_refreshes_total");
        assertThat(check("t", "sum by (policy) (rate(tokenrefresh_calls_total[5m]))", ""))
                .singleElement().asString().contains("'policy'");
        assertThat(check("t", "tokenrefresh_calls_total{outcome=\"succeeded\"}", ""))
                .singleElement().asString().contains("selects no series");
        assertThat(check("t", "sum by (name) (tokenrefresh_calls_total)", "{{outcome}}"))
                .singleElement().asString().contains("{{outcome}}");
        assertThat(check("t", "sum by (name, outcome) (rate(tokenrefresh_calls_total{name=~\"$name\"}[5m]))",
                "{{name}} {{outcome}}")).isEmpty();
    }

    private JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("the dashboard has no variable '" + name + "'");
    }

    /** What is wrong with one query against the scrape; empty when the scrape answers it. */
    private List<String> check(String panel, String expr, String legendFormat) {
        List<String> problems = new ArrayList<>();
        PromQl query = PromQl.read(expr);
        if (query.selectors().isEmpty()) {
            problems.add(panel + ": no metric in " + expr);
        }
        for (PromQl.Selector selector : query.selectors()) {
            List<PrometheusScrape.Sample> samples = scrape.samples(selector.metric());
            if (samples.isEmpty()) {
                problems.add(panel + ": " + selector.metric() + " is not in the scrape");
                continue;
            }
            List<PrometheusScrape.Sample> selected = new ArrayList<>(samples);
            for (PromQl.Matcher matcher : selector.matchers()) {
                if (samples.stream().noneMatch(sample -> sample.labels().containsKey(matcher.label()))) {
                    problems.add(panel + ": " + selector.metric() + " has no label '" + matcher.label() + "'");
                }
                PromQl.Matcher substituted = new PromQl.Matcher(matcher.label(), matcher.operator(),
                        withAllValues(matcher.value()));
                selected.removeIf(sample -> !substituted.matches(sample.labels().get(matcher.label())));
            }
            if (selected.isEmpty() && !selector.matchers().isEmpty()) {
                problems.add(panel + ": " + selector + " selects no series");
            }
            for (String label : query.groupingLabels()) {
                if (selected.stream().anyMatch(sample -> !sample.labels().containsKey(label))) {
                    problems.add(panel + ": " + selector.metric() + " lacks label '" + label + "' it is grouped by");
                }
            }
        }
        Matcher legend = LEGEND_LABEL.matcher(legendFormat);
        while (legend.find()) {
            if (!query.groupingLabels().isEmpty() && !query.groupingLabels().contains(legend.group(1))) {
                problems.add(panel + ": legend {{" + legend.group(1) + "}} is not among the labels grouped by "
                        + query.groupingLabels());
            }
        }
        return problems;
    }

    /** Grafana's "All" for a multi-value variable with {@code allValue} {@code .*}. */
    private static String withAllValues(String value) {
        return value.replace("${name}", ".*").replace("$name", ".*");
    }
}
