package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.internal.ClientLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The close and shutdown family: Java 21 added it to HttpClient. The library is built for Java 17, reaches the
 * delegate's methods where they exist and falls back to Java 21's documented defaults where they do not. CI runs
 * the Java 17 half; the Java 21 half runs when the suite runs on a newer JDK.
 */
class LifecycleTest {

    private final LoopbackApi fixture = new LoopbackApi();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    @DisplayName("On Java 17 closing does nothing, awaitTermination returns at once, the policy stays open")
    void shouldDegradeOnJava17() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        TokenRefreshHttpClient client = fixture.client(policy);
        assertThat(ClientLifecycle.isSupported()).isFalse();

        try (TokenRefreshHttpClient closing = client) {
            assertThat(closing.send(fixture.get("/before"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        client.shutdown();
        client.shutdownNow();
        long start = System.nanoTime();

        assertThat(client.awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(client.isTerminated()).isFalse();
        assertThat(client.send(fixture.get("/after"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.FRESH);
        assertThatThrownBy(() -> client.awaitTermination(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("duration");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    @DisplayName("On Java 21 and later close reaches the delegate, which then refuses new requests")
    void shouldCloseTheDelegateOnJava21() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient delegate = HttpClient.newHttpClient();
        TokenRefreshHttpClient client = TokenRefreshHttpClient.decorate(delegate, policy);
        assertThat(ClientLifecycle.isSupported()).isTrue();
        assertThat(client.send(fixture.get("/before"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        client.close();

        assertThat(client.isTerminated()).isTrue();
        assertThat(ClientLifecycle.isTerminated(delegate)).isTrue();
        assertThat(client.awaitTermination(Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> client.send(fixture.get("/after"), BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(fixture.api.requests("/after")).isEmpty();
        assertThat(policy.getState()).isEqualTo(TokenRefreshPolicy.State.FRESH);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    @DisplayName("On Java 21 and later shutdown, shutdownNow and awaitTermination reach the delegate")
    void shouldShutDownTheDelegateOnJava21() throws Exception {
        HttpClient delegate = HttpClient.newHttpClient();
        TokenRefreshHttpClient client = TokenRefreshHttpClient.decorate(delegate, fixture.policy());
        assertThat(client.isTerminated()).isFalse();

        client.shutdown();
        assertThat(client.awaitTermination(Duration.ofSeconds(10))).isTrue();
        client.shutdownNow();

        assertThat(client.isTerminated()).isTrue();
        assertThat(ClientLifecycle.isTerminated(delegate)).isTrue();
    }
}
