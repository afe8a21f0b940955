package io.github.tokenrefresh.examples.quickstart;

import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRefreshRegistry;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_ID;
import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs the README's quick starts against a loopback authorization server and API: each gets its orders, and after
 * the server revokes the token each recovers with exactly one refresh.
 */
class QuickStartTest {

    private final LoopbackTokenServer tokens = LoopbackTokenServer.start();
    private final LoopbackResourceServer api = LoopbackResourceServer.start(tokens);
    private final URI orders = api.uri("/orders");
    private final TokenFamily family = tokens.issueFamily();

    @AfterEach
    void tearDown() {
        api.close();
        tokens.close();
    }

    private TokenRefreshPolicy refreshTokenPolicy() {
        return JdkQuickStart.policy(tokens.tokenEndpoint(), DEFAULT_CLIENT_ID, Secret.of(DEFAULT_CLIENT_SECRET),
                Secret.of(family.refreshToken()), orders);
    }

    private void revokeCurrentToken(TokenRefreshPolicy policy) {
        assertThat(tokens.revoke(policy.currentTokens().orElseThrow().accessToken().value().reveal())).isTrue();
    }

    @Test
    @DisplayName("The JDK quick start gets the orders and recovers from a revoked token with one refresh")
    void shouldRunTheJdkQuickStart() throws Exception {
        TokenRefreshPolicy policy = refreshTokenPolicy();
        HttpClient client = JdkQuickStart.client(policy);

        assertThat(JdkQuickStart.getOrders(client, orders)).contains("/orders");
        revokeCurrentToken(policy);
        assertThat(JdkQuickStart.getOrders(client, orders)).contains("/orders");

        assertThat(tokens.requestCount("refresh_token")).isEqualTo(2);
        assertThat(api.unauthorizedCount()).isEqualTo(1);
        policy.close();
    }

    @Test
    @DisplayName("The Apache quick start serves a classic and an async client from one policy")
    void shouldRunTheApacheQuickStart() throws Exception {
        TokenRefreshPolicy policy = refreshTokenPolicy();
        try (CloseableHttpClient classic = ApacheQuickStart.classicClient(policy);
             CloseableHttpAsyncClient async = ApacheQuickStart.asyncClient(policy)) {

            assertThat(ApacheQuickStart.getOrders(classic, orders)).contains("/orders");
            revokeCurrentToken(policy);
            assertThat(ApacheQuickStart.getOrdersAsync(async, orders).get(10, TimeUnit.SECONDS)).contains("/orders");
            assertThat(ApacheQuickStart.getOrders(classic, orders)).contains("/orders");
        }

        assertThat(tokens.requestCount("refresh_token")).isEqualTo(2);
        assertThat(api.unauthorizedCount()).isEqualTo(1);
        policy.close();
    }

    @Test
    @DisplayName("The core quick start decorates a hand-written call and reports to Micrometer")
    void shouldRunTheCoreQuickStart() throws Exception {
        TokenRefreshRegistry registry = TokenRefreshRegistry.ofDefaults();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TokenRefreshPolicy policy = CoreQuickStart.policy(registry, meters, tokens.tokenEndpoint(),
                DEFAULT_CLIENT_ID, Secret.of(DEFAULT_CLIENT_SECRET), orders);
        var getOrders = CoreQuickStart.getOrders(policy, HttpClient.newHttpClient(), orders);

        assertThat(getOrders.call()).contains("/orders");
        revokeCurrentToken(policy);
        assertThat(getOrders.call()).contains("/orders");

        assertThat(tokens.requestCount("client_credentials")).isEqualTo(2);
        assertThat(meters.get("tokenrefresh.refresh").tag("trigger", "reactive").timer().count()).isEqualTo(1);
        assertThat(meters.get("tokenrefresh.replays").functionCounter().count()).isEqualTo(1);
        policy.close();
    }

    @Test
    @DisplayName("The event quick start logs refreshes and raises an alert when the token endpoint fails")
    void shouldObserveThePolicy() throws Exception {
        TokenRefreshPolicy policy = refreshTokenPolicy();
        List<String> alerts = new CopyOnWriteArrayList<>();
        CoreQuickStart.observe(policy, LoggerFactory.getLogger(QuickStartTest.class), alerts::add);
        HttpClient client = JdkQuickStart.client(policy);
        JdkQuickStart.getOrders(client, orders);

        tokens.enqueue(ScriptedResponse.error(503, "temporarily_unavailable"));
        revokeCurrentToken(policy);
        assertThatThrownBy(() -> JdkQuickStart.getOrders(client, orders))
                .isInstanceOf(TokenEndpointUnavailableException.class);

        assertThat(alerts).singleElement().asString().contains("unavailable (HTTP 503, temporarily_unavailable)");
        policy.close();
    }
}
