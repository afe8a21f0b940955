package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient.Redirect;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Redirects are followed by the decorator, hop by hop; the token goes only to hops on allowed origins. Each test
 * asserts on what the servers received.
 */
class RedirectTest {

    private static final String BODY = "{\"item\":\"book\"}";

    private final LoopbackApi fixture = new LoopbackApi();
    private final LoopbackResourceServer elsewhere = LoopbackResourceServer.startUnprotected();

    @AfterEach
    void tearDown() {
        elsewhere.close();
        fixture.close();
    }

    private TokenRefreshHttpClient client(TokenRefreshPolicy policy, Redirect redirect) {
        return TokenRefreshHttpClient.builder(policy).delegate(fixture.jdk).followRedirects(redirect).build();
    }

    private static HttpResponse<String> send(TokenRefreshHttpClient client, HttpRequest request,
            LoopbackApi.RecordingHandler handler, boolean async) throws Exception {
        return async ? client.sendAsync(request, handler).get() : client.send(request, handler);
    }

    static Stream<Arguments> crossOriginRedirects() {
        List<Arguments> cases = new ArrayList<>();
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            for (Redirect redirect : new Redirect[] {Redirect.NORMAL, Redirect.ALWAYS}) {
                cases.add(Arguments.of(status, redirect, status % 2 == 0));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}, async={2}")
    @MethodSource("crossOriginRedirects")
    @DisplayName("A redirect to another origin: the second origin never receives the Authorization header")
    void shouldNeverCarryTheTokenToAnotherOrigin(int status, Redirect redirect, boolean async) throws Exception {
        TokenRefreshHttpClient client = client(fixture.policy(), redirect);
        fixture.api.redirect("/moved", elsewhere.uri("/landing"), status);
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        HttpResponse<String> response = send(client, fixture.get("/moved"), handler, async);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.uri()).isEqualTo(elsewhere.uri("/landing"));
        assertThat(fixture.api.requests("/moved")).singleElement()
                .satisfies(first -> assertThat(first.bearerToken()).isEqualTo(fixture.family.accessToken()));
        assertThat(elsewhere.requests("/landing")).singleElement()
                .satisfies(second -> assertThat(second.hasAuthorization()).isFalse());
        assertThat(handler.statuses).containsExactly(200);
        assertThat(response.previousResponse()).hasValueSatisfying(previous -> {
            assertThat(previous.statusCode()).isEqualTo(status);
            assertThat(previous.uri()).isEqualTo(fixture.api.uri("/moved"));
            assertThat(previous.body()).isNull();
        });
        assertThat(response.request().uri()).isEqualTo(elsewhere.uri("/landing"));
    }

    @Test
    @DisplayName("Across origins the caller's own credentials are dropped too: Authorization, Cookie, Origin, Referer")
    void shouldDropTheCallersCredentialsAcrossOrigins() throws Exception {
        TokenRefreshHttpClient client = client(fixture.policy(), Redirect.NORMAL);
        try (LoopbackResourceServer start = LoopbackResourceServer.startUnprotected()) {
            start.redirect("/moved", elsewhere.uri("/landing"), 302);
            HttpRequest request = HttpRequest.newBuilder(start.uri("/moved"))
                    .header("Authorization", "Basic dXNlcjpwYXNz")
                    .header("Cookie", "session=1")
                    .header("Origin", "http://app.example")
                    .header("Referer", "http://app.example/page")
                    .header("X-Trace", "kept")
                    .build();

            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            RecordedRequest first = start.requests("/moved").get(0);
            assertThat(first.header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
            assertThat(first.header("Cookie")).isEqualTo("session=1");
            RecordedRequest second = elsewhere.requests("/landing").get(0);
            assertThat(second.hasAuthorization()).isFalse();
            assertThat(second.header("Cookie")).isNull();
            assertThat(second.header("Origin")).isNull();
            assertThat(second.header("Referer")).isNull();
            assertThat(second.header("X-Trace")).isEqualTo("kept");
        }
        assertThat(fixture.tokens.requestCount()).isZero();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A redirect within the origin, or to another allowed origin, keeps the token on every hop")
    void shouldKeepTheTokenOnAllowedHops(boolean async) throws Exception {
        try (LoopbackResourceServer alsoAllowed = LoopbackResourceServer.start(fixture.tokens)) {
            TokenRefreshPolicy policy = fixture.policy(fixture.config().allowedOrigin(alsoAllowed.baseUri()).build());
            TokenRefreshHttpClient client = client(policy, Redirect.NORMAL);
            fixture.api.redirect("/old", fixture.api.uri("/new"), 301);
            fixture.api.redirect("/new", alsoAllowed.uri("/newest"), 307);

            HttpResponse<String> response = send(client, fixture.get("/old"), new LoopbackApi.RecordingHandler(),
                    async);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.previousResponse().flatMap(HttpResponse::previousResponse).map(HttpResponse::uri))
                    .contains(fixture.api.uri("/old"));
            List<RecordedRequest> hops = new ArrayList<>(fixture.api.requests());
            hops.addAll(alsoAllowed.requests());
            assertThat(hops).extracting(RecordedRequest::path).containsExactly("/old", "/new", "/newest");
            assertThat(hops).allSatisfy(hop -> assertThat(hop.bearerToken()).isEqualTo(fixture.family.accessToken()));
        }
    }

    @Test
    @DisplayName("A request that starts at an origin without the token never gets it, even on an allowed hop")
    void shouldNotAttachTheTokenInAChainThatStartedElsewhere() throws Exception {
        TokenRefreshHttpClient client = client(fixture.policy(), Redirect.NORMAL);
        elsewhere.redirect("/bounce", fixture.api.uri("/orders"), 302);

        HttpResponse<String> response = client.send(LoopbackApi.get(elsewhere.uri("/bounce")),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(fixture.api.requests("/orders")).singleElement()
                .satisfies(hop -> assertThat(hop.hasAuthorization()).isFalse());
        assertThat(fixture.tokens.requestCount()).isZero();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("By default no redirect is followed: the caller gets the redirect, body and all, like the JDK client")
    void shouldNotFollowRedirectsByDefault(boolean async) throws Exception {
        TokenRefreshHttpClient client = fixture.client(fixture.policy());
        fixture.api.redirect("/moved", elsewhere.uri("/landing"), 302);
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        HttpResponse<String> response = send(client, fixture.get("/moved"), handler, async);

        assertThat(client.followRedirects()).isEqualTo(Redirect.NEVER);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(elsewhere.uri("/landing").toString());
        assertThat(handler.statuses).containsExactly(302);
        assertThat(elsewhere.requestCount()).isZero();
    }

    @Test
    @DisplayName("307 and 308 resend method and body; 303, and 301 or 302 after a POST, continue as a bodiless GET")
    void shouldChangeMethodAndBodyLikeTheJdkClient() throws Exception {
        TokenRefreshHttpClient client = client(fixture.policy(), Redirect.NORMAL);
        int[] statuses = {301, 302, 303, 307, 308};
        for (int status : statuses) {
            fixture.api.redirect("/post/" + status, elsewhere.uri("/landing/" + status), status);
            HttpRequest post = HttpRequest.newBuilder(fixture.api.uri("/post/" + status))
                    .POST(BodyPublishers.ofString(BODY))
                    .build();

            assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        for (int status : statuses) {
            RecordedRequest landed = elsewhere.requests("/landing/" + status).get(0);
            boolean keepsBody = status == 307 || status == 308;
            assertThat(landed.method()).as("method after %s", status).isEqualTo(keepsBody ? "POST" : "GET");
            assertThat(landed.bodyAsString()).as("body after %s", status).isEqualTo(keepsBody ? BODY : "");
            assertThat(landed.hasAuthorization()).isFalse();
        }
    }

    @Test
    @DisplayName("After maxRedirects hops the last redirect is returned; every followed one is in previousResponse")
    void shouldStopAtMaxRedirects() throws Exception {
        TokenRefreshHttpClient client = TokenRefreshHttpClient.builder(fixture.policy())
                .delegate(fixture.jdk)
                .followRedirects(Redirect.NORMAL)
                .maxRedirects(2)
                .build();
        fixture.api.redirect("/loop", fixture.api.uri("/loop"), 302);

        HttpResponse<String> response = client.send(fixture.get("/loop"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(fixture.api.requests("/loop")).hasSize(3);
        int chain = 0;
        for (HttpResponse<String> previous = response; previous.previousResponse().isPresent();
                previous = previous.previousResponse().get()) {
            chain++;
        }
        assertThat(chain).isEqualTo(2);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A token rejected on a redirected hop is refreshed once and the whole chain is replayed")
    void shouldReplayTheChainAfterARejectionOnALaterHop(boolean async) throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        TokenRefreshHttpClient client = client(policy, Redirect.NORMAL);
        fixture.api.redirect("/moved", fixture.api.uri("/orders"), 302);
        fixture.tokens.revoke(fixture.family.accessToken());
        LoopbackApi.RecordingHandler handler = new LoopbackApi.RecordingHandler();

        HttpResponse<String> response = send(client, fixture.get("/moved"), handler, async);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(handler.statuses).containsExactly(200);
        assertThat(fixture.api.requests()).extracting(RecordedRequest::path, RecordedRequest::status)
                .containsExactly(tuple("/moved", 302), tuple("/orders", 401), tuple("/moved", 302),
                        tuple("/orders", 200));
        assertThat(fixture.tokens.requestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("A 401 from another origin reached by a redirect is not a rejection of the token")
    void shouldNotRefreshOnA401FromAHopWithoutTheToken() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        TokenRefreshHttpClient client = client(policy, Redirect.NORMAL);
        try (LoopbackResourceServer foreign = LoopbackResourceServer.start(fixture.tokens)) {
            fixture.api.redirect("/moved", foreign.uri("/private"), 302);

            HttpResponse<String> response = client.send(fixture.get("/moved"), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("bearer token is required");
            assertThat(foreign.requests("/private")).singleElement()
                    .satisfies(hop -> assertThat(hop.hasAuthorization()).isFalse());
        }
        assertThat(fixture.tokens.requestCount()).isZero();
        assertThat(policy.getMetrics().getNumberOfReplayRefusedCalls()).isZero();
    }
}
