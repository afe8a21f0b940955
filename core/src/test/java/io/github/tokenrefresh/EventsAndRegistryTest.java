package io.github.tokenrefresh;

import io.github.tokenrefresh.event.EventSubscription;
import io.github.tokenrefresh.event.RefreshEvent;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.event.RegistryEvent;
import io.github.tokenrefresh.event.TokenRefreshEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsAndRegistryTest {

    private final PolicyFixture fixture = new PolicyFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    @DisplayName("A refresh event carries the policy name, trigger, outcome and duration")
    void shouldDescribeARefresh() {
        TokenRefreshPolicy policy = fixture.policy();
        List<RefreshEvent> refreshes = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().subscribe(RefreshEvent.class, refreshes::add);

        policy.acquireToken();

        assertThat(refreshes).singleElement().isInstanceOfSatisfying(RefreshSucceededEvent.class, event -> {
            assertThat(event.getPolicyName()).isEqualTo("orders");
            assertThat(event.getTrigger()).isEqualTo(RefreshTrigger.INITIAL);
            assertThat(event.getOutcome()).isEqualTo(RefreshOutcome.SUCCESS);
            assertThat(event.getDuration()).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(event.getTokenVersion()).isEqualTo(1);
            assertThat(event.isRefreshTokenRotated()).isTrue();
            assertThat(event.getEventType()).isEqualTo(TokenRefreshEvent.Type.REFRESH_SUCCEEDED);
        });
    }

    @Test
    @DisplayName("A caller that waited for a refresh finds its success event already published")
    void shouldPublishTheRefreshEventBeforeReleasingWaiters() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        List<RefreshEvent> refreshes = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().subscribe(RefreshEvent.class, event -> {
            sleepBriefly();
            refreshes.add(event);
        });
        fixture.grant.hold();

        Thread releaser = new Thread(fixture.grant::release);
        var waiting = policy.acquireTokenAsync();
        releaser.start();
        waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(refreshes).hasSize(1);
        releaser.join();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("A consumer that throws is logged and never breaks the call; other consumers still get the event")
    void shouldIsolateFailingConsumers() {
        TokenRefreshPolicy policy = fixture.policy();
        List<TokenRefreshEvent> seen = new CopyOnWriteArrayList<>();
        policy.getEventPublisher()
                .onRefreshSucceeded(event -> {
                    throw new IllegalStateException("consumer bug");
                })
                .onEvent(seen::add);

        String used = policy.executeSupplier(token -> token.value().reveal());

        assertThat(used).isEqualTo(ScriptedGrant.access(1));
        assertThat(seen).hasSize(1);
    }

    @Test
    @DisplayName("A cancelled subscription receives nothing more")
    void shouldStopDeliveringAfterCancel() {
        fixture.seed("token-1", Duration.ofHours(1));
        TokenRefreshPolicy policy = fixture.policy();
        List<TokenRefreshEvent> seen = new CopyOnWriteArrayList<>();
        EventSubscription subscription = policy.getEventPublisher().subscribe(TokenRefreshEvent.class, seen::add);

        policy.refreshAfterRejection(policy.acquireToken());
        subscription.cancel();
        policy.refreshAfterRejection(policy.acquireToken());

        assertThat(seen).hasSize(1);
    }

    @Test
    @DisplayName("The registry creates a policy once per name and tells subscribers about additions and removals")
    void shouldTrackPolicies() {
        TokenRefreshRegistry registry = TokenRefreshRegistry.of(fixture.config().build());
        List<RegistryEvent> changes = new CopyOnWriteArrayList<>();
        registry.subscribe(changes::add);

        TokenRefreshPolicy orders = registry.policy("orders", fixture.grant);
        assertThat(registry.policy("orders", new ScriptedGrant())).isSameAs(orders);
        TokenRefreshPolicy billing = registry.add(TokenRefreshPolicy.of("billing", fixture.config().build(),
                new ScriptedGrant()));
        TokenRefreshPolicy newBilling = TokenRefreshPolicy.of("billing", fixture.config().build(),
                new ScriptedGrant());
        assertThat(registry.replace(newBilling)).contains(billing);
        assertThat(registry.remove("orders")).contains(orders);
        assertThat(registry.remove("orders")).isEmpty();

        assertThat(registry.getAllPolicies()).containsExactly(newBilling);
        assertThat(registry.find("billing")).contains(newBilling);
        assertThat(changes).extracting(RegistryEvent::getEventType).containsExactly(RegistryEvent.Type.ADDED,
                RegistryEvent.Type.ADDED, RegistryEvent.Type.REPLACED, RegistryEvent.Type.REMOVED);
        assertThat(changes.get(2).getReplacedPolicy()).contains(billing);
        assertThatThrownBy(() -> registry.add(newBilling)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'billing' is registered already");
    }

    @Test
    @DisplayName("Policy names must not be blank")
    void shouldRefuseBlankNames() {
        assertThatThrownBy(() -> TokenRefreshPolicy.of(" ", fixture.config().build(), fixture.grant))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank");
    }
}
