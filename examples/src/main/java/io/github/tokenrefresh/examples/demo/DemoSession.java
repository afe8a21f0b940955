package io.github.tokenrefresh.examples.demo;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.examples.GuardedTokenEndpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What both modes of the demo share: the Resilience4j retries and breakers, the meters and the optional Prometheus
 * endpoint, the console, and the run itself: callers through the three clients for the configured time, with the
 * policy's refreshes and the breakers' transitions narrated as they happen, then the summary read from Micrometer.
 *
 * <p>Used by one thread. Close it to stop the endpoint and the threads.
 */
final class DemoSession implements AutoCloseable {

    private final DemoOptions options;
    private final DemoConsole console;
    private final DemoMeters meters;
    private final ScheduledExecutorService scheduler;
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private PrometheusEndpoint endpoint;

    DemoSession(DemoOptions options, PrintStream out) {
        this.options = options;
        this.console = new DemoConsole(out, options.progress());
        this.meters = new DemoMeters(options.prometheusPort().isPresent());
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "demo-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Puts the token endpoint call behind its own Retry and CircuitBreaker, as {@link GuardedTokenEndpoint} does.
     */
    TokenGrant guard(TokenGrant grant, Duration breakerOpenWait) {
        Retry retry = retries.retry(DemoResilience.TOKEN_ENDPOINT, DemoResilience.endpointRetry());
        CircuitBreaker breaker = breakers.circuitBreaker(DemoResilience.TOKEN_ENDPOINT,
                DemoResilience.endpointBreaker(breakerOpenWait));
        return GuardedTokenEndpoint.guard(grant, retry, breaker, scheduler);
    }

    /**
     * Starts the Prometheus endpoint if one was asked for, and prints its URL.
     */
    void startEndpoint() {
        meters.prometheus().ifPresent(registry -> {
            endpoint = PrometheusEndpoint.start(registry, options.prometheusPort().orElse(0));
            console.line("Prometheus scrape endpoint: " + endpoint.uri());
        });
    }

    /**
     * Runs the callers against {@code resource} with {@code policy}, narrating, then closes the clients and the
     * policy and reads the summary. {@code onStart} runs as the callers start, to schedule incidents.
     */
    DemoSummary run(TokenRefreshPolicy policy, URI resource, Runnable onStart)
            throws InterruptedException, IOException {
        Retry retry = retries.retry(DemoResilience.RESOURCE, DemoResilience.resourceRetry());
        CircuitBreaker breaker = breakers.circuitBreaker(DemoResilience.RESOURCE, DemoResilience.resourceBreaker());
        meters.bindPolicy(policy);
        meters.bindResilience(retries, breakers);
        narrate(policy);

        long start = System.nanoTime();
        try (DemoClients clients = new DemoClients(policy, resource, options.threads(), retry, breaker, scheduler)) {
            Callers callers = new Callers(clients, meters, options.threads(), options.rate(), options.duration());
            console.startClock();
            onStart.run();
            callers.run(() -> console.progress(progress(policy)));
        } finally {
            console.endProgress();
            policy.close();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return DemoSummary.read(meters.summaryRegistry(), policy.getName(), elapsed, options.threads());
    }

    /**
     * With a Prometheus endpoint, keeps serving it after the run for {@code --serve-for}, or until the process is
     * stopped; returns at once without one.
     */
    void serveAfterRun() throws InterruptedException {
        if (endpoint == null) {
            return;
        }
        Optional<Duration> serveFor = options.serveFor();
        if (serveFor.isEmpty()) {
            console.line("Serving the final figures at " + endpoint.uri() + "; press Ctrl-C to stop.");
            Thread.currentThread().join();
        } else if (!serveFor.get().isZero()) {
            console.line("Serving the final figures at " + endpoint.uri() + " for " + serveFor.get().toSeconds()
                    + " s.");
            TimeUnit.MILLISECONDS.sleep(serveFor.get().toMillis());
        }
    }

    DemoConsole console() {
        return console;
    }

    DemoMeters meters() {
        return meters;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        scheduler.shutdownNow();
        meters.close();
    }

    private void narrate(TokenRefreshPolicy policy) {
        policy.getEventPublisher()
                .onRefreshSucceeded(event -> console.event(String.format(Locale.ROOT,
                        "refresh (%s) succeeded in %d ms: token version %d%s", event.getTrigger().tagValue(),
                        event.getDuration().toMillis(), event.getTokenVersion(),
                        event.isRefreshTokenRotated() ? ", refresh token rotated" : "")))
                .onRefreshFailed(event -> console.event(String.format(Locale.ROOT,
                        "refresh (%s) failed: %s; the policy retries in %.1f s%s", event.getTrigger().tagValue(),
                        describe(event.getFailure()), event.getBackoff().toMillis() / 1000.0,
                        policy.getState() == TokenRefreshPolicy.State.EXPIRED
                                ? ", callers fail fast until then" : ", callers keep the current token")))
                .onRefreshRejected(event -> console.event("refresh (" + event.getTrigger().tagValue()
                        + ") rejected for good: " + event.getFailure().getMessage()))
                .onLoopGuardTripped(event -> console.event("loop guard tripped: " + event.getRefreshes()
                        + " refreshes after rejections within " + event.getWindow().toSeconds() + " s"));
        breakers.getAllCircuitBreakers().forEach(breaker -> breaker.getEventPublisher().onStateTransition(event ->
                console.event("circuit breaker '" + breaker.getName() + "': "
                        + event.getStateTransition().getFromState() + " -> "
                        + event.getStateTransition().getToState())));
    }

    private String progress(TokenRefreshPolicy policy) {
        DemoSummary now = DemoSummary.read(meters.summaryRegistry(), policy.getName(), Duration.ZERO, 0);
        return String.format(Locale.ROOT, "calls %,d | refreshes %,d | caller failures %,d | token %s",
                now.calls(), now.refreshCount(), now.callerFailures(),
                policy.getState().name().toLowerCase(Locale.ROOT));
    }

    private static String describe(TokenRefreshException failure) {
        if (failure instanceof TokenEndpointUnavailableException) {
            TokenEndpointUnavailableException unavailable = (TokenEndpointUnavailableException) failure;
            if (unavailable.status() > 0) {
                return "token endpoint answered " + unavailable.status();
            }
            if (failure.getCause() != null) {
                return "token endpoint not called (" + failure.getCause().getClass().getSimpleName() + ")";
            }
        }
        return failure.getClass().getSimpleName();
    }
}
