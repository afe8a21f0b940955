package io.github.tokenrefresh.testing;

import static io.github.tokenrefresh.testing.TestHttp.jsonString;
import static io.github.tokenrefresh.testing.TestHttp.refresh;
import static io.github.tokenrefresh.testing.TestHttp.refreshRequest;
import static io.github.tokenrefresh.testing.TestHttp.sendAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenServerScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LoopbackTokenServer server = LoopbackTokenServer.start();
    private final TokenFamily family = server.issueFamily();

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void shouldPlayScriptStepsInArrivalOrderThenAnswerNormally() throws Exception {
        server.enqueue(
                ScriptedResponse.error(503, "temporarily_unavailable").withHeader("Retry-After", "7"),
                ScriptedResponse.error(429, "slow_down"),
                ScriptedResponse.body(500, "text/html", "<html><body>Internal Server Error</body></html>"),
                ScriptedResponse.body(200, "text/plain", "garbage"),
                ScriptedResponse.json(200, "{\"token_type\":\"mac\",\"expires_in\":-5}"));

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(refresh(server, family.refreshToken()));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(503, 429, 500, 200, 200, 200);
        assertThat(responses.get(0).headers().firstValue("Retry-After")).hasValue("7");
        assertThat(responses.get(2).headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(responses.get(3).body()).isEqualTo("garbage");
        assertThat(responses.get(4).body()).isEqualTo("{\"token_type\":\"mac\",\"expires_in\":-5}");
        assertThat(jsonString(responses.get(5).body(), "access_token")).isNotNull();
        assertThat(server.requestCount()).isEqualTo(6);
        assertThat(server.issuedCount()).isEqualTo(1);
        assertThat(server.scriptRemaining()).isZero();
    }

    @Test
    void shouldRepeatAStepTheGivenNumberOfTimes() throws Exception {
        server.enqueue(2, ScriptedResponse.error(502, "bad_gateway"));

        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(502);
        assertThat(server.scriptRemaining()).isEqualTo(1);
        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(502);
        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldBreakTheConnectionMidResponse() throws Exception {
        server.enqueue(ScriptedResponse.disconnectMidResponse());

        assertThatThrownBy(() -> refresh(server, family.refreshToken())).isInstanceOf(IOException.class);

        assertThat(server.issuedCount()).isZero();
        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldBreakTheConnectionBeforeAnyResponse() throws Exception {
        server.enqueue(ScriptedResponse.disconnectBeforeResponse());

        assertThatThrownBy(() -> refresh(server, family.refreshToken())).isInstanceOf(IOException.class);

        assertThat(refresh(server, family.refreshToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRotateButLoseTheAnswerSoARetryTripsReuseDetection() throws Exception {
        server.enqueue(ScriptedResponse.grantThenDisconnect());

        assertThatThrownBy(() -> refresh(server, family.refreshToken())).isInstanceOf(IOException.class);
        HttpResponse<String> retry = refresh(server, family.refreshToken());

        assertThat(server.issuedCount()).isEqualTo(1);
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(jsonString(retry.body(), "error_description")).isEqualTo("refresh token reuse detected");
        assertThat(server.reuseDetections()).isEqualTo(1);
    }

    @Test
    void shouldPadAnOversizedBodyToTheExactSize() throws Exception {
        server.enqueue(ScriptedResponse.oversizedJson(100_000), ScriptedResponse.oversizedJson(5_000).chunked());

        HttpResponse<String> sized = refresh(server, family.refreshToken());
        HttpResponse<String> chunked = refresh(server, family.refreshToken());

        assertThat(sized.body().getBytes(StandardCharsets.UTF_8)).hasSize(100_000);
        assertThat(sized.headers().firstValueAsLong("Content-Length")).hasValue(100_000);
        assertThat(chunked.body()).hasSize(5_000);
        assertThat(chunked.headers().firstValue("Content-Length")).isEmpty();
        assertThatThrownBy(() -> ScriptedResponse.oversizedJson(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAnswerADelayedStepAfterTheDelay() throws Exception {
        server.enqueue(ScriptedResponse.delayed(Duration.ofMillis(300)));
        long start = System.nanoTime();

        HttpResponse<String> response = refresh(server, family.refreshToken());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldEndADelayAtOnceWhenTheServerCloses() throws Exception {
        server.enqueue(ScriptedResponse.error(503, "temporarily_unavailable").after(Duration.ofMinutes(5)));
        CompletableFuture<HttpResponse<String>> pending = sendAsync(refreshRequest(server, family.refreshToken()));
        assertThat(server.awaitRequestCount(1, WAIT)).isTrue();
        long start = System.nanoTime();

        server.close();

        assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    }

    @Test
    void shouldHoldResponsesUntilReleased() throws Exception {
        server.holdResponses();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pending.add(sendAsync(TestHttp.tokenRequest(server.tokenEndpoint(),
                    TestHttp.basic(LoopbackTokenServer.DEFAULT_CLIENT_ID, LoopbackTokenServer.DEFAULT_CLIENT_SECRET),
                    TestHttp.form("grant_type", "client_credentials"))));
        }

        assertThat(server.awaitHeldResponses(8, WAIT)).isTrue();
        assertThat(server.requestCount()).isEqualTo(8);
        assertThat(server.issuedCount()).isZero();
        assertThat(pending).noneMatch(CompletableFuture::isDone);

        server.releaseResponses();

        for (CompletableFuture<HttpResponse<String>> response : pending) {
            assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(server.heldResponseCount()).isZero();
        assertThat(server.issuedCount()).isEqualTo(8);
    }

    @Test
    void shouldReleaseHeldResponsesWhenTheServerCloses() throws Exception {
        server.holdResponses();
        CompletableFuture<HttpResponse<String>> pending = sendAsync(refreshRequest(server, family.refreshToken()));
        assertThat(server.awaitHeldResponses(1, WAIT)).isTrue();

        server.close();

        assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
        assertThat(server.issuedCount()).isZero();
    }

    @Test
    void shouldDescribeAStepWithoutItsBody() {
        ScriptedResponse step = ScriptedResponse.body(500, "text/html", "<secret-page>")
                .withHeader("Retry-After", "3")
                .after(Duration.ofSeconds(1));

        assertThat(step.toString()).contains("500").contains("Retry-After").doesNotContain("secret-page");
    }
}
