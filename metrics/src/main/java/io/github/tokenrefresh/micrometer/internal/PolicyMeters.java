package io.github.tokenrefresh.micrometer.internal;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.EventSubscription;
import io.github.tokenrefresh.event.RefreshEvent;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.micrometer.TokenRefreshMeterNames;
import io.github.tokenrefresh.micrometer.TokenRefreshMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one policy in one meter registry, and the event consumer that feeds its refresh timer.
 *
 * <p>Everything but the timer reads the policy's own counters when the registry is read, so a call costs nothing
 * more for being measured. Micrometer holds those counters weakly; this object holds the policy, so they live as
 * long as the binding. The timer is fed from the policy's refresh events; one timer per trigger and outcome is
 * registered on the first refresh that needs it, so a policy that never failed has no failure series.
 *
 * <p>Thread-safe. {@link #close()} cancels the consumer and removes every meter; an event delivered while it runs
 * registers nothing.
 */
public final class PolicyMeters implements AutoCloseable {

    private static final RefreshTrigger[] TRIGGERS = RefreshTrigger.values();
    private static final RefreshOutcome[] OUTCOMES = RefreshOutcome.values();

    private final TokenRefreshPolicy policy;
    private final MeterRegistry registry;
    private final MeterSettings settings;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(TRIGGERS.length * OUTCOMES.length);

    // Guarded by this.
    private final List<Meter> meters = new ArrayList<>();
    private EventSubscription subscription;
    private boolean closed;

    private PolicyMeters(TokenRefreshPolicy policy, MeterRegistry registry, MeterSettings settings) {
        this.policy = policy;
        this.registry = registry;
        this.settings = settings;
        this.tags = settings.tags().and(TokenRefreshMetrics.TAG_NAME, policy.getName());
    }

    /**
     * Registers the meters of {@code policy} in {@code registry}.
     *
     * @param policy the policy
     * @param registry the meter registry
     * @param settings names, tags and timer settings
     * @return the bound meters, to close when the policy goes away
     */
    public static PolicyMeters bind(TokenRefreshPolicy policy, MeterRegistry registry, MeterSettings settings) {
        PolicyMeters meters = new PolicyMeters(policy, registry, settings);
        meters.register();
        return meters;
    }

    /**
     * Returns the policy these meters measure.
     *
     * @return the policy
     */
    public TokenRefreshPolicy policy() {
        return policy;
    }

    private synchronized void register() {
        TokenRefreshMeterNames names = settings.names();
        TokenRefreshPolicy.Metrics metrics = policy.getMetrics();

        callCounter(metrics, TokenRefreshMetrics.CALLS_SUCCESSFUL_WITHOUT_REFRESH,
                TokenRefreshPolicy.Metrics::getNumberOfSuccessfulCallsWithoutRefresh);
        callCounter(metrics, TokenRefreshMetrics.CALLS_SUCCESSFUL_AFTER_REFRESH,
                TokenRefreshPolicy.Metrics::getNumberOfSuccessfulCallsAfterRefresh);
        callCounter(metrics, TokenRefreshMetrics.CALLS_FAILED, TokenRefreshPolicy.Metrics::getNumberOfFailedCalls);
        callCounter(metrics, TokenRefreshMetrics.CALLS_REPLAY_REFUSED,
                TokenRefreshPolicy.Metrics::getNumberOfReplayRefusedCalls);

        meters.add(FunctionCounter.builder(names.coalescedCallers(), metrics,
                        m -> (double) m.getNumberOfCoalescedCallers())
                .description("Callers that waited for a refresh already in flight instead of starting one")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter.builder(names.replays(), metrics, m -> (double) m.getNumberOfReplays())
                .description("Calls sent again with a new token after their token was rejected")
                .tags(tags)
                .register(registry));
        meters.add(FunctionCounter.builder(names.loopGuardTrips(), metrics,
                        m -> (double) m.getNumberOfLoopGuardTrips())
                .description("Times the loop guard stopped refreshes on rejection")
                .tags(tags)
                .register(registry));
        meters.add(TimeGauge.builder(names.tokenExpiresIn(), metrics, TimeUnit.SECONDS, PolicyMeters::secondsLeft)
                .description("Time until the current access token expires, negative once it has, NaN before "
                        + "the first token")
                .tags(tags)
                .register(registry));
        meters.add(Gauge.builder(names.reauthenticationRequired(), metrics,
                        m -> m.isReauthenticationRequired() ? 1.0 : 0.0)
                .description("1 while the grant is refused for good and the application must supply new tokens")
                .tags(tags)
                .register(registry));

        if (settings.refreshTimer()) {
            subscription = policy.getEventPublisher().subscribe(RefreshEvent.class, this::record);
        }
    }

    private void callCounter(TokenRefreshPolicy.Metrics metrics, String outcome,
            ToDoubleFunction<TokenRefreshPolicy.Metrics> count) {
        meters.add(FunctionCounter.builder(settings.names().calls(), metrics, count)
                .description("Calls through the policy, by how they ended")
                .tags(tags)
                .tag(TokenRefreshMetrics.TAG_OUTCOME, outcome)
                .register(registry));
    }

    private static double secondsLeft(TokenRefreshPolicy.Metrics metrics) {
        return metrics.getTimeUntilExpiry()
                .map(left -> left.getSeconds() + left.getNano() / 1e9)
                .orElse(Double.NaN);
    }

    private void record(RefreshEvent event) {
        Timer timer = timer(event.getTrigger(), event.getOutcome());
        if (timer != null) {
            timer.record(event.getDuration());
        }
    }

    private Timer timer(RefreshTrigger trigger, RefreshOutcome outcome) {
        int slot = trigger.ordinal() * OUTCOMES.length + outcome.ordinal();
        Timer timer = timers.get(slot);
        if (timer != null) {
            return timer;
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            timer = timers.get(slot);
            if (timer == null) {
                timer = settings.refreshTimerBuilder()
                        .tags(tags)
                        .tag(TokenRefreshMetrics.TAG_TRIGGER, trigger.tagValue())
                        .tag(TokenRefreshMetrics.TAG_OUTCOME, outcome.tagValue())
                        .register(registry);
                meters.add(timer);
                timers.set(slot, timer);
            }
            return timer;
        }
    }

    /**
     * Stops feeding the timer and removes every meter of the policy from the registry. Calling it again does
     * nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (subscription != null) {
            subscription.cancel();
        }
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }

    @Override
    public String toString() {
        return "PolicyMeters[policy=" + policy.getName() + ']';
    }
}
