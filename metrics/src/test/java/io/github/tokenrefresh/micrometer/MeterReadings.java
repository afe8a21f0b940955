package io.github.tokenrefresh.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads the default-named meters of one policy from a meter registry, failing loudly when a meter is missing.
 */
final class MeterReadings {

    private final MeterRegistry registry;
    private final String policy;

    MeterReadings(MeterRegistry registry, String policy) {
        this.registry = registry;
        this.policy = policy;
    }

    /** Refresh timer counts by {@code trigger/outcome}, for exact comparison: no stray timer goes unseen. */
    Map<String, Long> refreshes() {
        Map<String, Long> counts = new TreeMap<>();
        for (Timer timer : registry.find("tokenrefresh.refresh").tag("name", policy).timers()) {
            counts.put(timer.getId().getTag("trigger") + "/" + timer.getId().getTag("outcome"), timer.count());
        }
        return counts;
    }

    Timer refreshTimer(String trigger, String outcome) {
        return registry.get("tokenrefresh.refresh")
                .tags("name", policy, "trigger", trigger, "outcome", outcome)
                .timer();
    }

    double calls(String outcome) {
        return registry.get("tokenrefresh.calls").tags("name", policy, "outcome", outcome).functionCounter().count();
    }

    /** Call counts by outcome; every outcome is always present. */
    Map<String, Double> calls() {
        Map<String, Double> counts = new TreeMap<>();
        for (FunctionCounter counter : registry.get("tokenrefresh.calls").tag("name", policy).functionCounters()) {
            counts.put(counter.getId().getTag("outcome"), counter.count());
        }
        return counts;
    }

    double coalescedCallers() {
        return counter("tokenrefresh.coalesced.callers");
    }

    double replays() {
        return counter("tokenrefresh.replays");
    }

    double loopGuardTrips() {
        return counter("tokenrefresh.loop.guard.trips");
    }

    double secondsUntilExpiry() {
        TimeGauge gauge = registry.get("tokenrefresh.token.expires.in").tag("name", policy).timeGauge();
        return gauge.value(TimeUnit.SECONDS);
    }

    double reauthenticationRequired() {
        Gauge gauge = registry.get("tokenrefresh.reauthentication.required").tag("name", policy).gauge();
        return gauge.value();
    }

    /** Every meter tagged with this policy's name. */
    List<Meter> all() {
        return registry.getMeters().stream().filter(m -> policy.equals(m.getId().getTag("name"))).toList();
    }

    private double counter(String name) {
        return registry.get(name).tag("name", policy).functionCounter().count();
    }
}
