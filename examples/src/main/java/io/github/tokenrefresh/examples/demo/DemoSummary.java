package io.github.tokenrefresh.examples.demo;

import io.github.resilience4j.micrometer.tagged.CircuitBreakerMetricNames;
import io.github.resilience4j.micrometer.tagged.RetryMetricNames;
import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.micrometer.TokenRefreshMeterNames;
import io.github.tokenrefresh.micrometer.TokenRefreshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a demo run did, read from Micrometer after the run: the policy's calls, refreshes by trigger and outcome with
 * their latency, coalesced waiters, replays and loop guard trips (the library's {@link TokenRefreshMetrics}); what
 * the callers saw after Resilience4j's retries, the retries and the breakers; and in loopback mode the token
 * server's request and refresh-token reuse counts. {@link #print(PrintStream)} shows it as a table.
 *
 * <p>Immutable and thread-safe.
 */
public final class DemoSummary {

    /** The call outcomes of the library's call counters, in the order the table shows them. */
    private static final List<String> CALL_OUTCOMES = List.of(TokenRefreshMetrics.CALLS_SUCCESSFUL_WITHOUT_REFRESH,
            TokenRefreshMetrics.CALLS_SUCCESSFUL_AFTER_REFRESH, TokenRefreshMetrics.CALLS_FAILED,
            TokenRefreshMetrics.CALLS_REPLAY_REFUSED);

    private static final String LABEL = "  %-38s";

    private final String policyName;
    private final Duration elapsed;
    private final int callers;
    private final Map<String, Long> callsByOutcome;
    private final List<RefreshRow> refreshes;
    private final long coalescedWaiters;
    private final long replays;
    private final long loopGuardTrips;
    private final Map<String, Map<String, Long>> requestsByClient;
    private final Map<String, Map<String, Long>> retriesByName;
    private final Map<String, BreakerRow> breakers;
    private final OptionalLong tokenEndpointRequests;
    private final OptionalLong reuseDetections;

    private DemoSummary(String policyName, Duration elapsed, int callers, MeterRegistry registry) {
        TokenRefreshMeterNames names = TokenRefreshMeterNames.ofDefaults();
        this.policyName = policyName;
        this.elapsed = elapsed;
        this.callers = callers;

        Map<String, Long> calls = new LinkedHashMap<>();
        CALL_OUTCOMES.forEach(outcome -> calls.put(outcome, 0L));
        for (FunctionCounter counter : registry.find(names.calls()).tag(TokenRefreshMetrics.TAG_NAME, policyName)
                .functionCounters()) {
            calls.put(counter.getId().getTag(TokenRefreshMetrics.TAG_OUTCOME), Math.round(counter.count()));
        }
        this.callsByOutcome = Collections.unmodifiableMap(calls);

        List<RefreshRow> rows = new ArrayList<>();
        for (Timer timer : registry.find(names.refresh()).tag(TokenRefreshMetrics.TAG_NAME, policyName).timers()) {
            rows.add(RefreshRow.of(timer));
        }
        rows.sort(Comparator.comparing(RefreshRow::triggerOrder).thenComparing(RefreshRow::outcomeOrder));
        this.refreshes = List.copyOf(rows);

        this.coalescedWaiters = functionCount(registry, names.coalescedCallers(), policyName);
        this.replays = functionCount(registry, names.replays(), policyName);
        this.loopGuardTrips = functionCount(registry, names.loopGuardTrips(), policyName);

        Map<String, Map<String, Long>> requests = new TreeMap<>();
        for (Counter counter : registry.find(DemoMeters.REQUESTS).counters()) {
            requests.computeIfAbsent(counter.getId().getTag("client"), client -> new TreeMap<>())
                    .put(counter.getId().getTag("outcome"), Math.round(counter.count()));
        }
        this.requestsByClient = frozen(requests);

        Map<String, Map<String, Long>> retries = new TreeMap<>();
        for (FunctionCounter counter : registry.find(RetryMetricNames.DEFAULT_RETRY_CALLS).functionCounters()) {
            retries.computeIfAbsent(counter.getId().getTag("name"), name -> new TreeMap<>())
                    .put(counter.getId().getTag("kind"), Math.round(counter.count()));
        }
        this.retriesByName = frozen(retries);

        Map<String, BreakerRow> breakerRows = new TreeMap<>();
        for (Counter opened : registry.find(DemoMeters.BREAKER_OPENED).counters()) {
            String name = opened.getId().getTag("name");
            breakerRows.put(name, BreakerRow.of(registry, name, Math.round(opened.count())));
        }
        this.breakers = Collections.unmodifiableMap(breakerRows);

        this.tokenEndpointRequests = optionalCount(registry, DemoMeters.TOKEN_SERVER_REQUESTS);
        this.reuseDetections = optionalCount(registry, DemoMeters.REUSE_DETECTIONS);
    }

    /**
     * Reads the summary from the registry the demo's meters were bound to.
     *
     * @param registry the registry
     * @param policyName the policy whose meters to read
     * @param elapsed how long the callers ran
     * @param callers how many callers ran
     * @return the summary
     */
    public static DemoSummary read(MeterRegistry registry, String policyName, Duration elapsed, int callers) {
        Objects.requireNonNull(registry, "registry must not be null");
        Objects.requireNonNull(policyName, "policyName must not be null");
        return new DemoSummary(policyName, elapsed, callers, registry);
    }

    /**
     * Returns the calls the policy ran, each attempt of an outer retry counting once.
     *
     * @return the sum over every call outcome
     */
    public long calls() {
        return callsByOutcome.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Returns the policy's calls by outcome ({@code successful_without_refresh}, {@code successful_after_refresh},
     * {@code failed}, {@code replay_refused}).
     *
     * @return an unmodifiable map in that order
     */
    public Map<String, Long> callsByOutcome() {
        return callsByOutcome;
    }

    /**
     * Returns one row per refresh trigger and outcome that occurred.
     *
     * @return the rows, by trigger and then outcome
     */
    public List<RefreshRow> refreshes() {
        return refreshes;
    }

    /**
     * Returns how many refreshes ran.
     *
     * @return the sum over every trigger and outcome
     */
    public long refreshCount() {
        return refreshes.stream().mapToLong(RefreshRow::count).sum();
    }

    /**
     * Returns how many refreshes of a trigger ended with an outcome.
     *
     * @param trigger the trigger
     * @param outcome the outcome
     * @return the count, 0 if none
     */
    public long refreshCount(RefreshTrigger trigger, RefreshOutcome outcome) {
        return refreshes.stream()
                .filter(row -> row.trigger().equals(trigger.tagValue()) && row.outcome().equals(outcome.tagValue()))
                .mapToLong(RefreshRow::count)
                .sum();
    }

    /**
     * Returns how many callers waited for a refresh another caller had started.
     *
     * @return the count
     */
    public long coalescedWaiters() {
        return coalescedWaiters;
    }

    /**
     * Returns how many requests were sent again after their token was rejected.
     *
     * @return the count
     */
    public long replays() {
        return replays;
    }

    /**
     * Returns how often the loop guard tripped.
     *
     * @return the count
     */
    public long loopGuardTrips() {
        return loopGuardTrips;
    }

    /**
     * Returns the callers' requests, after the retries, by client and outcome ({@code success}, {@code http_<status>}
     * or the simple name of the exception).
     *
     * @return an unmodifiable map, clients and outcomes sorted
     */
    public Map<String, Map<String, Long>> requestsByClient() {
        return requestsByClient;
    }

    /**
     * Returns the callers' requests.
     *
     * @return every request of every client
     */
    public long requests() {
        return requestsByClient.values().stream().flatMap(outcomes -> outcomes.values().stream())
                .mapToLong(Long::longValue).sum();
    }

    /**
     * Returns the requests a caller saw fail after the retries: an exception or a status other than 200.
     *
     * @return the count
     */
    public long callerFailures() {
        return requests() - requestsByOutcome().getOrDefault(DemoMeters.SUCCESS, 0L);
    }

    /**
     * Returns the callers' requests by outcome, over all clients.
     *
     * @return the counts, outcomes sorted
     */
    public Map<String, Long> requestsByOutcome() {
        Map<String, Long> byOutcome = new TreeMap<>();
        requestsByClient.values().forEach(outcomes -> outcomes.forEach((outcome, count) ->
                byOutcome.merge(outcome, count, Long::sum)));
        return byOutcome;
    }

    /**
     * Returns Resilience4j's retry counts by retry name and kind, such as {@code successful_with_retry}.
     *
     * @return an unmodifiable map
     */
    public Map<String, Map<String, Long>> retries() {
        return retriesByName;
    }

    /**
     * Returns each circuit breaker's final state, openings and refused calls, by breaker name.
     *
     * @return an unmodifiable map
     */
    public Map<String, BreakerRow> breakers() {
        return breakers;
    }

    /**
     * Returns how many requests reached the loopback token endpoint.
     *
     * @return the count; empty against a real provider
     */
    public OptionalLong tokenEndpointRequests() {
        return tokenEndpointRequests;
    }

    /**
     * Returns how often the loopback token server saw a used refresh token again, which revokes the session. The
     * library exists to keep this at 0.
     *
     * @return the count; empty against a real provider, which does not tell
     */
    public OptionalLong reuseDetections() {
        return reuseDetections;
    }

    /**
     * Prints the summary as a table.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        out.println();
        out.println("Summary, read from Micrometer");
        row(out, "run", String.format(Locale.ROOT, "%.1f s, %d callers, policy '%s'",
                elapsed.toMillis() / 1000.0, callers, policyName));

        row(out, "calls through the token policy", number(calls()));
        callsByOutcome.forEach((outcome, count) -> row(out, "  " + outcome.replace('_', ' '), number(count)));

        out.println(String.format(Locale.ROOT, LABEL + "%14s %10s %10s", "refreshes (trigger, outcome)", "count",
                "p50", "p99"));
        for (RefreshRow refresh : refreshes) {
            out.println(String.format(Locale.ROOT, LABEL + "%14s %10s %10s",
                    "  " + refresh.trigger() + ", " + refresh.outcome(), number(refresh.count()),
                    millis(refresh.p50Millis()), millis(refresh.p99Millis())));
        }
        if (refreshes.isEmpty()) {
            row(out, "  none", "");
        }
        row(out, "coalesced waiters", number(coalescedWaiters));
        row(out, "replays after a rejected token", number(replays));
        row(out, "loop guard trips", number(loopGuardTrips));

        row(out, "caller requests, after retries", number(requests()));
        requestsByClient.forEach((client, outcomes) -> text(out, "  " + client, outcomes(outcomes)));
        row(out, "caller failures", number(callerFailures()));
        retriesByName.forEach((name, kinds) -> text(out, "retry '" + name + "'", outcomes(kinds)));
        breakers.forEach((name, breaker) -> text(out, "circuit breaker '" + name + "'", breaker.toString()));

        if (tokenEndpointRequests.isPresent()) {
            row(out, "token endpoint requests", number(tokenEndpointRequests.getAsLong()));
        }
        if (reuseDetections.isPresent()) {
            row(out, "refresh token reuse (must be 0)", number(reuseDetections.getAsLong()));
        } else {
            text(out, "refresh token reuse detections", "not visible against a real provider; a revoked "
                    + "session shows as a rejected refresh");
        }
    }

    @Override
    public String toString() {
        return "DemoSummary[calls=" + callsByOutcome + ", refreshes=" + refreshes + ", coalescedWaiters="
                + coalescedWaiters + ", replays=" + replays + ", loopGuardTrips=" + loopGuardTrips + ", requests="
                + requestsByClient + ", retries=" + retriesByName + ", breakers=" + breakers
                + ", tokenEndpointRequests=" + tokenEndpointRequests + ", reuseDetections=" + reuseDetections + ']';
    }

    private static void row(PrintStream out, String label, String value) {
        out.println(String.format(Locale.ROOT, LABEL + "%14s", label, value).stripTrailing());
    }

    private static void text(PrintStream out, String label, String value) {
        out.println(String.format(Locale.ROOT, LABEL + "%s", label, value).stripTrailing());
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static String outcomes(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((outcome, count) -> parts.add(outcome.replace('_', ' ') + " " + number(count)));
        return String.join(", ", parts);
    }

    private static long functionCount(MeterRegistry registry, String name, String policyName) {
        FunctionCounter counter = registry.find(name).tag(TokenRefreshMetrics.TAG_NAME, policyName)
                .functionCounter();
        return counter == null ? 0 : Math.round(counter.count());
    }

    private static OptionalLong optionalCount(MeterRegistry registry, String name) {
        FunctionCounter counter = registry.find(name).functionCounter();
        return counter == null ? OptionalLong.empty() : OptionalLong.of(Math.round(counter.count()));
    }

    private static Map<String, Map<String, Long>> frozen(Map<String, Map<String, Long>> nested) {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        nested.forEach((key, inner) -> copy.put(key, Collections.unmodifiableMap(new TreeMap<>(inner))));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The refreshes of one trigger and outcome: how many, and their latency percentiles as Micrometer computed them
     * in this process. Immutable.
     */
    public static final class RefreshRow {

        private final String trigger;
        private final String outcome;
        private final long count;
        private final double p50Millis;
        private final double p99Millis;

        private RefreshRow(String trigger, String outcome, long count, double p50Millis, double p99Millis) {
            this.trigger = trigger;
            this.outcome = outcome;
            this.count = count;
            this.p50Millis = p50Millis;
            this.p99Millis = p99Millis;
        }

        private static RefreshRow of(Timer timer) {
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
                if (value.percentile() == 0.5) {
                    p50 = value.value(TimeUnit.MILLISECONDS);
                } else if (value.percentile() == 0.99) {
                    p99 = value.value(TimeUnit.MILLISECONDS);
                }
            }
            Meter.Id id = timer.getId();
            return new RefreshRow(id.getTag(TokenRefreshMetrics.TAG_TRIGGER),
                    id.getTag(TokenRefreshMetrics.TAG_OUTCOME), timer.count(), p50, p99);
        }

        /**
         * Returns the trigger: {@code initial}, {@code proactive} or {@code reactive}.
         *
         * @return the trigger's tag value
         */
        public String trigger() {
            return trigger;
        }

        /**
         * Returns the outcome, such as {@code success} or {@code transient_failure}.
         *
         * @return the outcome's tag value
         */
        public String outcome() {
            return outcome;
        }

        /**
         * Returns how many refreshes had this trigger and outcome.
         *
         * @return the count
         */
        public long count() {
            return count;
        }

        /**
         * Returns the median refresh latency.
         *
         * @return milliseconds, NaN if Micrometer computed none
         */
        public double p50Millis() {
            return p50Millis;
        }

        /**
         * Returns the 99th percentile of the refresh latency.
         *
         * @return milliseconds, NaN if Micrometer computed none
         */
        public double p99Millis() {
            return p99Millis;
        }

        private int triggerOrder() {
            for (RefreshTrigger candidate : RefreshTrigger.values()) {
                if (candidate.tagValue().equals(trigger)) {
                    return candidate.ordinal();
                }
            }
            return Integer.MAX_VALUE;
        }

        private int outcomeOrder() {
            for (RefreshOutcome candidate : RefreshOutcome.values()) {
                if (candidate.tagValue().equals(outcome)) {
                    return candidate.ordinal();
                }
            }
            return Integer.MAX_VALUE;
        }

        @Override
        public String toString() {
            return trigger + '/' + outcome + '=' + count;
        }
    }

    /** A circuit breaker at the end of the run: its state, how often it opened, how many calls it refused. */
    public static final class BreakerRow {

        private final String state;
        private final long opened;
        private final long notPermitted;

        private BreakerRow(String state, long opened, long notPermitted) {
            this.state = state;
            this.opened = opened;
            this.notPermitted = notPermitted;
        }

        private static BreakerRow of(MeterRegistry registry, String name, long opened) {
            String state = "unknown";
            for (Gauge gauge : registry.find(CircuitBreakerMetricNames.DEFAULT_CIRCUIT_BREAKER_STATE)
                    .tag("name", name).gauges()) {
                if (gauge.value() == 1.0) {
                    state = gauge.getId().getTag("state");
                }
            }
            Counter refused = registry.find(CircuitBreakerMetricNames.DEFAULT_CIRCUIT_BREAKER_NOT_PERMITTED_CALLS)
                    .tag("name", name).counter();
            return new BreakerRow(state, opened, refused == null ? 0 : Math.round(refused.count()));
        }

        /**
         * Returns the state at the end of the run, such as {@code closed}.
         *
         * @return the state's tag value
         */
        public String state() {
            return state;
        }

        /**
         * Returns how often the breaker opened.
         *
         * @return the count
         */
        public long opened() {
            return opened;
        }

        /**
         * Returns how many calls the breaker refused while open.
         *
         * @return the count
         */
        public long notPermitted() {
            return notPermitted;
        }

        @Override
        public String toString() {
            return state + ", opened " + number(opened) + (opened == 1 ? " time" : " times")
                    + ", refused " + number(notPermitted) + (notPermitted == 1 ? " call" : " calls");
        }
    }
}
