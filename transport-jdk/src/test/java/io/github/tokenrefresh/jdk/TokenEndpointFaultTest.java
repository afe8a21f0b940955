package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.RefreshFailedEvent;
import io.github.tokenrefresh.event.RefreshOutcome;
import io.github.tokenrefresh.testing.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Token endpoint faults met by a call through the decorator: each ends as the core's contract says, with a clear
 * exception, no 401 handed to the caller, and no thread left waiting. The policy's timers never fire here, so a
 * refresh that times out was ended by the transport's own deadline.
 */
class TokenEndpointFaultTest {

    private final LoopbackApi fixture = new LoopbackApi();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private TokenRefreshPolicy policy(Duration refreshTimeout) {
        return fixture.policy(fixture.config().scheduler(fixture.lateTimers).refreshTimeout(refreshTimeout).build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request,
            LoopbackApi.RecordingHandler handler, boolean async) throws Exception {
        if (!async) {
            return client.send(request, handler);
        }
        try {
            return client.sendAsync(request, handler).get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("503 then success: the first call fails retryably, the endpoint is left alone during the backoff, "
            + "and the call after it succeeds")
    void shouldRecoverFromA503(boolean async) throws Exception {
        TokenRefreshPolicy policy = policy(Duration.ofSeconds(5));
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.error(503, "temporarily_unavailable").withHeader("Retry-After", "2"));
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
                    assertThat(e.getMessage()).contains("503", "temporarily_unavailable");
                });
        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("backing off");
        assertThat(fixture.tokens.requestCount()).isEqualTo(1);

        fixture.clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> response = send(client, fixture.get("/orders"), handler, async);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(handler.statuses).containsExactly(200);
        assertThat(fixture.tokens.requestCount()).isEqualTo(2);
        assertThat(fixture.tokens.reuseDetections()).isZero();
        assertNoThreadWaitsInTheLibrary();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A garbage body is a protocol error: not retryable, and the message says what was wrong")
    void shouldReportAGarbageBody(boolean async) {
        HttpClient client = fixture.client(policy(Duration.ofSeconds(5)));
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.body(200, "text/html", "<html><body>Bad gateway</body></html>"));
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOfSatisfying(TokenEndpointProtocolException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.getMessage()).contains("not valid JSON", "text/html");
                });
        assertThat(handler.statuses).isEmpty();
        assertThat(fixture.events(RefreshFailedEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getOutcome()).isEqualTo(RefreshOutcome.PROTOCOL_ERROR));
        assertNoThreadWaitsInTheLibrary();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A connection closed mid-response is a transient failure caused by the I/O error")
    void shouldReportAConnectionClosedMidResponse(boolean async) {
        HttpClient client = fixture.client(policy(Duration.ofSeconds(5)));
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.disconnectMidResponse());
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("could not be reached");
                })
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(handler.statuses).isEmpty();
        assertThat(fixture.events(RefreshFailedEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getOutcome()).isEqualTo(RefreshOutcome.TRANSIENT_FAILURE));
        assertNoThreadWaitsInTheLibrary();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("An answer slower than the refresh timeout: the call fails at the timeout, not when the answer comes")
    void shouldGiveUpOnASlowAnswer(boolean async) {
        HttpClient client = fixture.client(policy(Duration.ofMillis(500)));
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.delayed(Duration.ofSeconds(30)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), new LoopbackApi.RecordingHandler(), async))
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("did not answer in time");
                })
                .hasCauseInstanceOf(TimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertNoThreadWaitsInTheLibrary();
    }

    /** No thread but the test's is parked inside the library's code (the fixtures' own threads do not count). */
    private static void assertNoThreadWaitsInTheLibrary() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                if (thread.getKey() == Thread.currentThread()) {
                    continue;
                }
                for (StackTraceElement frame : thread.getValue()) {
                    String type = frame.getClassName();
                    assertThat(type.startsWith("io.github.tokenrefresh.") && !type.contains(".testing.")
                            && !type.endsWith("Test") && !type.contains("Test$"))
                            .as("thread %s waits in %s", thread.getKey().getName(), frame)
                            .isFalse();
                }
            }
        });
    }
}
