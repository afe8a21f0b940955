package io.github.tokenrefresh.jdk;

import com.sun.net.httpserver.HttpExchange;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.ReplayRefusal;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.event.ReplayedEvent;
import io.github.tokenrefresh.testing.RecordedRequest;
import io.github.tokenrefresh.testing.ScriptedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ReplayTest {

    private static final String BODY = "{\"item\":\"book\",\"quantity\":2}";

    private final LoopbackApi fixture = new LoopbackApi();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** Sends {@code request} with {@code send} or {@code sendAsync}, so each scenario runs on both paths. */
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
    @DisplayName("A token the server revoked early: one refresh, one replay, the caller sees 200 and never the 401")
    void shouldRefreshAndReplayOnceAfterRevocation(boolean async) throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        HttpResponse<String> response = send(client, fixture.get("/orders"), handler, async);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(handler.statuses).containsExactly(200);
        assertThat(fixture.tokens.requestCount("refresh_token")).isEqualTo(1);
        List<RecordedRequest> seen = fixture.api.requests("/orders");
        assertThat(seen).extracting(RecordedRequest::status).containsExactly(401, 200);
        assertThat(seen.get(0).bearerToken()).isEqualTo(fixture.family.accessToken());
        assertThat(seen.get(1).bearerToken()).isEqualTo(LoopbackApi.currentToken(policy))
                .isNotEqualTo(fixture.family.accessToken());
        assertThat(fixture.events(ReplayedEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getReplay()).isEqualTo(1));
        assertThat(fixture.events(RefreshSucceededEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getTrigger()).isEqualTo(RefreshTrigger.REACTIVE));
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsAfterRefresh()).isEqualTo(1);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A body that cannot be sent twice: the caller gets the 401 with its body, one send, an event says why")
    void shouldNotReplayAOneShotBody(boolean async) throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();
        HttpRequest upload = HttpRequest.newBuilder(fixture.api.uri("/upload"))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        BODY.getBytes(StandardCharsets.UTF_8))))
                .build();

        HttpResponse<String> response = send(client, upload, handler, async);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("message");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("invalid_token"));
        assertThat(handler.statuses).containsExactly(401);
        assertThat(fixture.api.requests("/upload")).singleElement()
                .satisfies(seen -> assertThat(seen.bodyAsString()).isEqualTo(BODY));
        assertThat(fixture.tokens.requestCount()).isZero();
        assertThat(fixture.events(ReplayRefusedEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getReason()).isEqualTo(ReplayRefusal.NOT_REPLAYABLE));
        assertThat(policy.getMetrics().getNumberOfReplayRefusedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("A caller can mark a replayable body one-shot, and a one-shot kind of body replayable")
    void shouldHonourTheCallersMark() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        BodyPublisher freshStreamEachTime = BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));

        fixture.tokens.revoke(fixture.family.accessToken());
        HttpResponse<String> oneShot = client.send(HttpRequest.newBuilder(fixture.api.uri("/one-shot"))
                .POST(ReplayableBodies.oneShot(BodyPublishers.ofString(BODY))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> replayable = client.send(HttpRequest.newBuilder(fixture.api.uri("/replayable"))
                .POST(ReplayableBodies.replayable(freshStreamEachTime)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(oneShot.statusCode()).isEqualTo(401);
        assertThat(fixture.api.requests("/one-shot")).hasSize(1);
        assertThat(replayable.statusCode()).isEqualTo(200);
        assertThat(fixture.api.requests("/replayable"))
                .extracting(RecordedRequest::status, RecordedRequest::bodyAsString)
                .containsExactly(tuple(401, BODY), tuple(200, BODY));
        assertThat(fixture.tokens.requestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("String, byte array and file bodies are replayed with the same bytes")
    void shouldReplayRepeatableJdkBodies(@TempDir Path directory) throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        Path file = Files.writeString(directory.resolve("order.json"), BODY);
        List<BodyPublisher> bodies = List.of(BodyPublishers.ofString(BODY),
                BodyPublishers.ofByteArray(BODY.getBytes(StandardCharsets.UTF_8)), BodyPublishers.ofFile(file));

        for (int i = 0; i < bodies.size(); i++) {
            // Each body meets a revoked token: three refreshes, well inside the loop guard.
            fixture.tokens.revoke(LoopbackApi.currentToken(policy));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(fixture.api.uri("/body/" + i))
                    .PUT(bodies.get(i)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(fixture.api.requests("/body/" + i))
                    .extracting(RecordedRequest::method, RecordedRequest::status, RecordedRequest::bodyAsString)
                    .containsExactly(tuple("PUT", 401, BODY), tuple("PUT", 200, BODY));
        }
        assertThat(fixture.tokens.requestCount()).isEqualTo(3);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A token rejected again after the replay: the caller gets the second 401, body and all")
    void shouldHandOverTheRejectionAfterTheLastReplay(boolean async) throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.api.route("/always-rejected", exchange -> respond(exchange, 401,
                "Bearer error=\"invalid_token\"", "{\"message\":\"rejected\"}"));
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        HttpResponse<String> response = send(client, fixture.get("/always-rejected"), handler, async);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"message\":\"rejected\"}");
        assertThat(handler.statuses).containsExactly(401);
        assertThat(fixture.api.requests("/always-rejected")).hasSize(2);
        assertThat(fixture.tokens.requestCount()).isEqualTo(1);
        assertThat(fixture.events(ReplayRefusedEvent.class)).singleElement()
                .satisfies(event -> assertThat(event.getReason()).isEqualTo(ReplayRefusal.REPLAY_LIMIT_REACHED));
    }

    @Test
    @DisplayName("A 403 insufficient_scope and a 401 for another scheme reach the caller without a refresh")
    void shouldNotRefreshOnOtherRefusals() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.api.forbidInsufficientScope("/admin", "orders:admin");
        fixture.api.route("/basic", exchange -> respond(exchange, 401, "Basic realm=\"legacy\"", "{}"));

        HttpResponse<String> forbidden = client.send(fixture.get("/admin"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> basic = client.send(fixture.get("/basic"), HttpResponse.BodyHandlers.ofString());

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("orders:admin");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(basic.body()).isEqualTo("{}");
        assertThat(fixture.tokens.requestCount()).isZero();
        assertThat(fixture.api.requestCount()).isEqualTo(2);
        assertThat(fixture.events(ReplayRefusedEvent.class)).isEmpty();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A refresh the token server refuses for good fails the call with the policy's exception")
    void shouldFailWithTheRefreshFailure(boolean async) {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.error(400, "invalid_grant"));
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOfSatisfying(ReauthenticationRequiredException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.error()).contains("invalid_grant");
                    assertThat(e.getMessage()).doesNotContain(fixture.family.refreshToken());
                });
        assertThat(handler.statuses).isEmpty();
        assertThat(fixture.api.requests("/orders")).hasSize(1);

        assertThatThrownBy(() -> send(client, fixture.get("/orders"), handler, async))
                .isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(fixture.tokens.requestCount()).isEqualTo(1);
        assertThat(fixture.api.requests("/orders")).hasSize(1);
    }

    @Test
    @DisplayName("Cancelling an asynchronous call cancels its exchange and leaves the policy usable")
    void shouldCancelTheExchangeInFlight() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch hungUp = new CountDownLatch(1);
        fixture.api.route("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            arrived.countDown();
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(25);
                }
            } catch (IOException e) {
                hungUp.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        CompletableFuture<HttpResponse<String>> call =
                client.sendAsync(fixture.get("/slow"), HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
        call.cancel(true);

        assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
        assertThat(hungUp.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.send(fixture.get("/after"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("An interrupted wait for a refresh ends in InterruptedException with the flag cleared")
    void shouldTurnAnInterruptedRefreshWaitIntoInterruptedException() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.holdResponses();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean(true);
        Thread caller = new Thread(() -> {
            try {
                client.send(fixture.get("/orders"), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                thrown.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });

        caller.start();
        assertThat(fixture.tokens.awaitHeldResponses(1, Duration.ofSeconds(5))).isTrue();
        caller.interrupt();
        caller.join(5_000);
        fixture.tokens.releaseResponses();

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class)
                .hasCauseInstanceOf(TokenEndpointUnavailableException.class);
        assertThat(flagAfter.get()).isFalse();
    }

    @Test
    @DisplayName("A refresh that failed on an interrupted grant thread is no InterruptedException for the caller")
    void shouldNotTurnAGrantsInterruptionIntoTheCallersInterruption() throws Exception {
        InterruptedException stopped = new InterruptedException("the grant's thread was stopped");
        try (TokenRefreshPolicy policy = TokenRefreshPolicy.of("interrupted-grant", fixture.config().build(),
                request -> CompletableFuture.failedFuture(stopped))) {
            HttpClient client = fixture.client(policy);

            assertThatThrownBy(() -> client.send(fixture.get("/orders"), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(TokenEndpointUnavailableException.class)
                    .hasRootCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(fixture.api.requestCount()).isZero();
        }
    }

    private static void respond(HttpExchange exchange, int status, String challenge,
            String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    @DisplayName("sendAsync fails its future with the policy's exception, which join() wraps once")
    void shouldFailAsyncCallsWithTheCause() {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        fixture.tokens.revoke(fixture.family.accessToken());
        fixture.tokens.enqueue(ScriptedResponse.error(400, "invalid_grant"));

        assertThatThrownBy(() -> client.sendAsync(fixture.get("/orders"), HttpResponse.BodyHandlers.ofString())
                .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ReauthenticationRequiredException.class);
    }
}
