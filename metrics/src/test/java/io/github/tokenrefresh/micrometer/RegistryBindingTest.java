package io.github.tokenrefresh.micrometer;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.event.RegistryEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static io.github.tokenrefresh.micrometer.TokenRefreshMetrics.CALLS_SUCCESSFUL_WITHOUT_REFRESH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class RegistryBindingTest {

    /** Meters a policy has before its first refresh: four call counters, three counters, two gauges. */
    private static final int METERS_BEFORE_FIRST_REFRESH = 9;

    private final ManualTime time = new ManualTime();
    private final TokenRefreshRegistry registry = TokenRefreshRegistry.of(time.config().build());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TokenRefreshMetrics metrics = TokenRefreshMetrics.builder(registry).histogramBuckets().build();

    @AfterEach
    void tearDown() {
        metrics.close();
        time.close();
    }

    private Set<String> policiesWithMeters() {
        return meters.getMeters().stream()
                .map(meter -> meter.getId().getTag(TokenRefreshMetrics.TAG_NAME))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @DisplayName("Policies present when bound and policies added later all get meters, refresh timer included")
    void shouldBindPresentAndLaterPolicies() {
        registry.policy("orders", new ScriptedGrant());
        metrics.bindTo(meters);

        TokenRefreshPolicy billing = registry.policy("billing", new ScriptedGrant());
        billing.acquireToken();

        assertThat(policiesWithMeters()).containsExactly("billing", "orders");
        assertThat(new MeterReadings(meters, "billing").refreshes()).containsExactly(entry("initial/success", 1L));
        assertThat(new MeterReadings(meters, "orders").all()).hasSize(METERS_BEFORE_FIRST_REFRESH);
    }

    @Test
    @DisplayName("A removed policy loses every meter, and its later refreshes register nothing")
    void shouldUnbindRemovedPolicies() {
        TokenRefreshPolicy orders = registry.policy("orders", new ScriptedGrant());
        registry.policy("billing", new ScriptedGrant()).acquireToken();
        metrics.bindTo(meters);
        orders.acquireToken();
        assertThat(new MeterReadings(meters, "orders").all()).hasSize(METERS_BEFORE_FIRST_REFRESH + 1);

        registry.remove("orders");
        orders.refreshAfterRejection(orders.acquireToken());

        assertThat(policiesWithMeters()).containsExactly("billing");
        assertThat(new MeterReadings(meters, "orders").all()).isEmpty();
    }

    @Test
    @DisplayName("A replaced policy's meters read the replacement")
    void shouldRebindReplacedPolicies() {
        TokenRefreshPolicy first = registry.policy("orders", new ScriptedGrant());
        metrics.bindTo(meters);
        first.executeSupplier(token -> "x");
        first.executeSupplier(token -> "x");
        MeterReadings orders = new MeterReadings(meters, "orders");
        assertThat(orders.calls(CALLS_SUCCESSFUL_WITHOUT_REFRESH)).isEqualTo(1.0);

        TokenRefreshPolicy second = TokenRefreshPolicy.of("orders", time.config().build(), new ScriptedGrant());
        registry.replace(second);
        second.executeSupplier(token -> "x");
        for (int i = 0; i < 3; i++) {
            second.executeSupplier(token -> "x");
        }
        first.executeSupplier(token -> "not counted any more");

        assertThat(orders.calls(CALLS_SUCCESSFUL_WITHOUT_REFRESH)).isEqualTo(3.0);
        assertThat(orders.refreshes()).containsExactly(entry("initial/success", 1L));
    }

    @Test
    @DisplayName("Closing the binder removes its meters and its consumers: later policies and refreshes add nothing")
    void shouldDetachEverythingOnClose() {
        TokenRefreshPolicy orders = registry.policy("orders", new ScriptedGrant());
        metrics.bindTo(meters);
        orders.acquireToken();
        assertThat(meters.getMeters()).isNotEmpty();

        metrics.close();
        registry.policy("billing", new ScriptedGrant()).acquireToken();
        orders.refreshAfterRejection(orders.acquireToken());

        assertThat(meters.getMeters()).isEmpty();
        assertThatThrownBy(() -> metrics.bindTo(meters))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    @DisplayName("Binding twice to one meter registry registers once; unbinding one registry leaves the other")
    void shouldBindEachMeterRegistryOnce() {
        registry.policy("orders", new ScriptedGrant()).acquireToken();
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(meters);
        metrics.bindTo(meters);
        metrics.bindTo(other);

        assertThat(meters.getMeters()).hasSize(METERS_BEFORE_FIRST_REFRESH);
        assertThat(metrics.unbindFrom(meters)).isTrue();
        assertThat(metrics.unbindFrom(meters)).isFalse();
        registry.policy("billing", new ScriptedGrant());

        assertThat(meters.getMeters()).isEmpty();
        assertThat(other.getMeters()).extracting(meter -> meter.getId().getTag("name")).containsOnly("orders",
                "billing");
    }

    @Test
    @DisplayName("The single-policy binder binds its policy whatever registry holds it, and removes it on close")
    void shouldBindOnePolicy() {
        TokenRefreshPolicy orders = TokenRefreshPolicy.of("orders", time.config().build(), new ScriptedGrant());
        TokenRefreshMetrics single = TokenRefreshMetrics.ofPolicy(orders);
        single.bindTo(meters);
        orders.acquireToken();

        assertThat(new MeterReadings(meters, "orders").refreshes()).containsExactly(entry("initial/success", 1L));
        assertThat(meters.find("tokenrefresh.refresh").timers()).hasSize(1);
        single.close();
        orders.refreshAfterRejection(orders.acquireToken());
        assertThat(meters.getMeters()).isEmpty();
    }

    @Test
    @DisplayName("An addition whose event arrives after the policy's removal binds nothing")
    void shouldIgnoreEventsThatArriveOutOfOrder() throws Exception {
        TokenRefreshPolicy late = TokenRefreshPolicy.of("orders", time.config().build(), new ScriptedGrant());
        CountDownLatch removed = new CountDownLatch(1);
        // Registered before the binder, so it holds the addition's event back from the binder.
        registry.subscribe(event -> {
            if (event.getPolicy() == late && event.getEventType() == RegistryEvent.Type.ADDED) {
                awaitQuietly(removed);
            }
        });
        metrics.bindTo(meters);

        ExecutorService adder = Executors.newSingleThreadExecutor();
        try {
            Future<?> adding = adder.submit(() -> registry.add(late));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("orders").isPresent());
            registry.remove("orders");
            removed.countDown();
            adding.get(10, TimeUnit.SECONDS);
        } finally {
            adder.shutdownNow();
        }

        assertThat(registry.find("orders")).isEmpty();
        assertThat(new MeterReadings(meters, "orders").all()).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("8 threads adding and removing policies while bound: the meters end up matching the registry exactly")
    void shouldStayInStepUnderConcurrentChanges() throws Exception {
        // A slow consumer ahead of the binder's widens the gap between a change and its event, so events of
        // different threads often reach the binder in another order than the changes happened.
        registry.subscribe(event -> LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000)));
        metrics.bindTo(meters);
        int threads = 8;
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 500; i++) {
                        String name = names.get(random.nextInt(names.size()));
                        switch (random.nextInt(3)) {
                            case 0 -> registry.policy(name, new ScriptedGrant());
                            case 1 -> registry.remove(name);
                            default -> registry.replace(
                                    TokenRefreshPolicy.of(name, time.config().build(), new ScriptedGrant()));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : work) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> registered = registry.getAllPolicies().stream().map(TokenRefreshPolicy::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(policiesWithMeters()).isEqualTo(registered);
        for (String name : registered) {
            List<Meter> bound = new MeterReadings(meters, name).all();
            assertThat(bound).hasSize(METERS_BEFORE_FIRST_REFRESH);
            TokenRefreshPolicy current = registry.find(name).orElseThrow();
            current.executeSupplier(token -> "x");
            current.executeSupplier(token -> "x");
            assertThat(new MeterReadings(meters, name).calls(CALLS_SUCCESSFUL_WITHOUT_REFRESH))
                    .as("the meters of %s read the policy the registry holds", name)
                    .isEqualTo(1.0);
        }
    }
}
