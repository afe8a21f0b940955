package io.github.tokenrefresh.examples.demo;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.micrometer.TokenRefreshMetrics;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's Micrometer registries: a {@link SimpleMeterRegistry} the summary is read from, and optionally a
 * {@link PrometheusMeterRegistry} behind the scrape endpoint. The policy's meters come from the library's
 * {@link TokenRefreshMetrics} binder; Resilience4j's from its own tagged binders; the demo adds the few meters only
 * it can know: what the callers saw after the retries, breaker openings, and the loopback token server's counters.
 *
 * <p>Thread-safe.
 */
final class DemoMeters implements AutoCloseable {

    /** Requests as the callers saw them, after Resilience4j's retries; tagged client and outcome. */
    static final String REQUESTS = "demo.requests";

    /** How often a circuit breaker opened; tagged with the breaker's name. */
    static final String BREAKER_OPENED = "demo.circuitbreaker.opened";

    /** Requests that reached the loopback token endpoint, whatever they were answered. */
    static final String TOKEN_SERVER_REQUESTS = "demo.token.server.requests";

    /** Refresh tokens the loopback token server saw presented twice, each revoking a token family. */
    static final String REUSE_DETECTIONS = "demo.token.server.reuse.detections";

    /** The request outcome of a call answered 200. */
    static final String SUCCESS = "success";

    /** Percentiles of the summary's refresh latency column. */
    private static final double[] SUMMARY_PERCENTILES = {0.5, 0.99};

    private final SimpleMeterRegistry summary = new SimpleMeterRegistry();
    private final PrometheusMeterRegistry prometheus;
    private final CompositeMeterRegistry all = new CompositeMeterRegistry();
    private final List<TokenRefreshMetrics> binders = new ArrayList<>();
    private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();

    DemoMeters(boolean withPrometheus) {
        this.prometheus = withPrometheus ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        all.add(summary);
        if (prometheus != null) {
            all.add(prometheus);
        }
    }

    /**
     * Binds the policy's meters. The summary's binder adds client-side percentiles for the latency column; the
     * scrape keeps the binder's defaults, whose histogram buckets the Grafana dashboard reads.
     */
    void bindPolicy(TokenRefreshPolicy policy) {
        TokenRefreshMetrics forSummary = TokenRefreshMetrics.builder(policy).percentiles(SUMMARY_PERCENTILES).build();
        forSummary.bindTo(summary);
        binders.add(forSummary);
        if (prometheus != null) {
            TokenRefreshMetrics forScrape = TokenRefreshMetrics.ofPolicy(policy);
            forScrape.bindTo(prometheus);
            binders.add(forScrape);
        }
    }

    /** Binds Resilience4j's meters and counts each breaker's openings. */
    void bindResilience(RetryRegistry retries, CircuitBreakerRegistry breakers) {
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(all);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(all);
        for (CircuitBreaker breaker : breakers.getAllCircuitBreakers()) {
            Counter opened = Counter.builder(BREAKER_OPENED)
                    .description("How often the circuit breaker opened")
                    .tag("name", breaker.getName())
                    .register(all);
            breaker.getEventPublisher().onStateTransition(event -> {
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    opened.increment();
                }
            });
        }
    }

    /**
     * Registers the loopback token server's request and reuse-detection counts. Micrometer holds the server weakly,
     * as it does every function counter's object; the demo holds it until the end.
     */
    void bindTokenServer(LoopbackTokenServer tokens) {
        FunctionCounter.builder(TOKEN_SERVER_REQUESTS, tokens, LoopbackTokenServer::requestCount)
                .description("Requests that reached the loopback token endpoint")
                .register(all);
        FunctionCounter.builder(REUSE_DETECTIONS, tokens, LoopbackTokenServer::reuseDetections)
                .description("Refresh tokens presented twice; each revoked its token family")
                .register(all);
    }

    /** Counts one request of a caller, after the retries, by client and outcome. */
    void countRequest(String client, String outcome) {
        requestCounters.computeIfAbsent(client + ' ' + outcome, key -> Counter.builder(REQUESTS)
                .description("Requests as the callers saw them, after retries")
                .tag("client", client)
                .tag("outcome", outcome)
                .register(all)).increment();
    }

    /** Returns the registry the summary is read from, which holds every meter of the demo. */
    MeterRegistry summaryRegistry() {
        return summary;
    }

    /** Returns the registry behind the scrape endpoint, if there is one. */
    Optional<PrometheusMeterRegistry> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    @Override
    public void close() {
        binders.forEach(TokenRefreshMetrics::close);
        all.close();
    }
}
