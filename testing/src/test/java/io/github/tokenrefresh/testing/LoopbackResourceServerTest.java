package io.github.tokenrefresh.testing;

import static io.github.tokenrefresh.testing.TestHttp.get;
import static io.github.tokenrefresh.testing.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopbackResourceServerTest {

    private final ManualClock clock = new ManualClock();
    private final LoopbackTokenServer tokens = LoopbackTokenServer.builder()
            .clock(clock)
            .accessTokenLifetime(Duration.ofSeconds(60))
            .start();
    private final LoopbackResourceServer api = LoopbackResourceServer.start(tokens);
    private final LoopbackResourceServer otherOrigin = LoopbackResourceServer.startUnprotected();
    private final TokenFamily family = tokens.issueFamily();

    @AfterEach
    void closeServers() {
        otherOrigin.close();
        api.close();
        tokens.close();
    }

    @Test
    void shouldAnswerAValidTokenWithAnEcho() throws Exception {
        HttpResponse<String> response = get(api.uri("/orders?page=2"), family.accessToken());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"method\":\"GET\",\"path\":\"/orders\",\"bodyLength\":0}");
        RecordedRequest recorded = api.requests().get(0);
        assertThat(recorded.bearerToken()).isEqualTo(family.accessToken());
        assertThat(recorded.query()).isEqualTo("page=2");
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(api.okCount()).isEqualTo(1);
    }

    @Test
    void shouldChallengeARequestWithoutCredentialsWithoutAnErrorCode() throws Exception {
        HttpResponse<String> response = get(api.uri("/orders"), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"api\"");
        assertThat(api.requests().get(0).hasAuthorization()).isFalse();
    }

    @Test
    void shouldChallengeAnExpiredTokenAsInvalid() throws Exception {
        clock.advance(Duration.ofSeconds(60));

        HttpResponse<String> response = get(api.uri("/orders"), family.accessToken());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer error=\"invalid_token\", error_description=\"the access token expired\"");
        assertThat(api.unauthorizedCount()).isEqualTo(1);
    }

    @Test
    void shouldChallengeUnknownAndRevokedTokensAsInvalid() throws Exception {
        tokens.revoke(family.accessToken());

        HttpResponse<String> revoked = get(api.uri("/a"), family.accessToken());
        HttpResponse<String> unknown = get(api.uri("/b"), "made-up");

        assertThat(revoked.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer error=\"invalid_token\"").contains("revoked");
        assertThat(unknown.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer error=\"invalid_token\"").contains("not known");
        assertThat(api.unauthorizedCount()).isEqualTo(2);
    }

    @Test
    void shouldReadAndRecordRequestBodies() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/items"))
                .header("Authorization", "Bearer " + family.accessToken())
                .header("X-Trace", "t-1")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"widget\"}"))
                .build());

        assertThat(response.body()).contains("\"bodyLength\":17");
        RecordedRequest recorded = api.requests("/items").get(0);
        assertThat(recorded.method()).isEqualTo("PUT");
        assertThat(recorded.bodyAsString()).isEqualTo("{\"name\":\"widget\"}");
        assertThat(recorded.header("x-trace")).isEqualTo("t-1");
        assertThat(recorded.header("Authorization")).isEqualTo("Bearer " + family.accessToken());
        assertThat(recorded.toString()).contains("authorization").doesNotContain(family.accessToken());
    }

    @Test
    void shouldRedirectToAnotherOriginWhichRecordsWhatArrived() throws Exception {
        URI elsewhere = otherOrigin.uri("/landing");
        api.redirect("/moved", elsewhere, 307);
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        HttpResponse<String> response = following.send(HttpRequest.newBuilder(api.uri("/moved"))
                .header("Authorization", "Bearer " + family.accessToken())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(api.requests("/moved").get(0).status()).isEqualTo(307);
        assertThat(otherOrigin.requests("/landing")).hasSize(1);
        assertThat(otherOrigin.isProtected()).isFalse();
    }

    @Test
    void shouldForbidAValidTokenWithInsufficientScope() throws Exception {
        api.forbidInsufficientScope("/admin", "admin");

        HttpResponse<String> valid = get(api.uri("/admin"), family.accessToken());
        HttpResponse<String> missing = get(api.uri("/admin"), null);

        assertThat(valid.statusCode()).isEqualTo(403);
        assertThat(valid.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer error=\"insufficient_scope\", scope=\"admin\"");
        assertThat(missing.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldHandACustomRouteTheRequestAndRecordItsStatus() throws Exception {
        api.route("/odd", exchange -> {
            byte[] echoed = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(418, echoed.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(echoed);
            }
        });

        HttpResponse<String> response = send(HttpRequest.newBuilder(api.uri("/odd"))
                .POST(HttpRequest.BodyPublishers.ofString("ping")).build());

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("ping");
        assertThat(api.requests("/odd").get(0).status()).isEqualTo(418);
        assertThat(api.requests("/odd").get(0).body()).isEqualTo("ping".getBytes(StandardCharsets.UTF_8));
        assertThat(api.responseCount(418)).isEqualTo(1);
    }

    @Test
    void shouldAnswerEverythingWhenUnprotected() throws Exception {
        HttpResponse<String> response = get(otherOrigin.uri("/anything"), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(otherOrigin.requestCount()).isEqualTo(1);
    }

    @Test
    void shouldCountButNotKeepRequestsWhileRecordingIsOff() throws Exception {
        get(api.uri("/orders/1"), family.accessToken());
        api.setRecordRequests(false);

        get(api.uri("/orders/2"), family.accessToken());
        get(api.uri("/orders/3"), null);
        get(api.uri("/orders/4"), "unknown-token");

        assertThat(api.recordsRequests()).isFalse();
        assertThat(api.requests()).extracting(RecordedRequest::path).containsExactly("/orders/1");
        assertThat(api.requestCount()).isEqualTo(4);
        assertThat(api.okCount()).isEqualTo(2);
        assertThat(api.unauthorizedCount()).isEqualTo(2);

        api.setRecordRequests(true);
        get(api.uri("/orders/5"), family.accessToken());

        assertThat(api.requests()).extracting(RecordedRequest::path).containsExactly("/orders/1", "/orders/5");
        assertThat(api.requestCount()).isEqualTo(5);
    }
}
