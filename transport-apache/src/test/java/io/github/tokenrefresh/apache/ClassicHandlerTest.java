package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.ReplayRefusal;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.apache.hc.client5.http.auth.AuthExchange;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.BearerToken;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.BearerScheme;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ClassicHandlerTest {

    private final LoopbackApi world = LoopbackApi.start();
    private final PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create().build();
    private final TokenRefreshPolicy policy = world.policy();

    @AfterEach
    void tearDown() throws Exception {
        pool.close(CloseMode.IMMEDIATE);
        world.close();
    }

    private CloseableHttpClient client() {
        return client(HttpClients.custom());
    }

    private CloseableHttpClient client(HttpClientBuilder builder) {
        return world.closeLater(TokenRefreshExecChainHandler.install(builder, policy)
                .setConnectionManager(pool)
                .setConnectionManagerShared(true)
                .build());
    }

    private static Answer call(CloseableHttpClient client, ClassicHttpRequest request) throws IOException {
        return call(client, request, null);
    }

    private static Answer call(CloseableHttpClient client, ClassicHttpRequest request, HttpContext context)
            throws IOException {
        return client.execute(request, context, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
    }

    private record Answer(int status, String body) {
    }

    @Test
    @DisplayName("A request to an allowed origin carries the policy's token, and only that Authorization header")
    void shouldAttachTheTokenToAnAllowedOrigin() throws IOException {
        HttpGet get = new HttpGet(world.api.uri("/orders"));
        get.addHeader("Authorization", "Basic Y2FsbGVyOnNlY3JldA==");
        get.addHeader("Authorization", "Bearer left-over-by-the-caller");

        Answer answer = call(client(), get);

        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest seen = world.api.requests().get(0);
        assertThat(seen.headers().get("authorization"))
                .containsExactly("Bearer " + LoopbackApi.currentToken(policy));
    }

    @Test
    @DisplayName("A request to another origin goes out untouched: no token, and the caller's own header kept")
    void shouldLeaveOtherOriginsAlone() throws IOException {
        CloseableHttpClient client = client();
        call(client, new HttpGet(world.api.uri("/warm-up")));
        HttpGet get = new HttpGet(world.elsewhere.uri("/public"));
        get.addHeader("Authorization", "Basic Y2FsbGVyOnNlY3JldA==");

        Answer answer = call(client, get);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(world.elsewhere.requests().get(0).headers().get("authorization"))
                .containsExactly("Basic Y2FsbGVyOnNlY3JldA==");
    }

    @Test
    @DisplayName("While the token is fresh, calls reuse it: one token request for many calls")
    void shouldReuseAFreshToken() throws IOException {
        CloseableHttpClient client = client();

        for (int i = 0; i < 20; i++) {
            assertThat(call(client, new HttpGet(world.api.uri("/orders/" + i))).status()).isEqualTo(200);
        }

        assertThat(world.tokens.requestCount()).isEqualTo(1);
        assertThat(world.api.requests()).extracting(RecordedRequest::bearerToken).containsOnly(
                LoopbackApi.currentToken(policy));
    }

    @Test
    @DisplayName("A rejected token is refreshed once and the request replayed with the same body")
    void shouldRefreshAndReplayARejectedRequest() throws IOException {
        CloseableHttpClient client = client();
        call(client, new HttpGet(world.api.uri("/warm-up")));
        String rejected = LoopbackApi.currentToken(policy);
        world.tokens.revoke(rejected);
        HttpPost post = new HttpPost(world.api.uri("/orders"));
        post.setEntity(new StringEntity("{\"item\":42}", ContentType.APPLICATION_JSON));

        Answer answer = call(client, post);

        assertThat(answer.status()).isEqualTo(200);
        List<RecordedRequest> posts = world.api.requests("/orders");
        assertThat(posts).extracting(RecordedRequest::status).containsExactly(401, 200);
        assertThat(posts.get(0).bearerToken()).isEqualTo(rejected);
        assertThat(posts.get(1).bearerToken()).isEqualTo(LoopbackApi.currentToken(policy)).isNotEqualTo(rejected);
        assertThat(posts).extracting(RecordedRequest::bodyAsString).containsOnly("{\"item\":42}");
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        assertThat(policy.getMetrics().getNumberOfReplays()).isEqualTo(1);
        assertThat(pool.getTotalStats().getLeased()).isZero();
    }

    @Test
    @DisplayName("A 403 insufficient_scope goes to the caller and triggers no refresh")
    void shouldNotRefreshOnInsufficientScope() throws IOException {
        world.api.forbidInsufficientScope("/admin", "admin");

        Answer answer = call(client(), new HttpGet(world.api.uri("/admin")));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(world.api.requests("/admin")).hasSize(1);
        assertThat(world.tokens.requestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("A non-repeatable entity is not replayed: the caller reads the 401, sent once, and an event says why")
    void shouldReturnThe401ForANonRepeatableEntity() throws IOException {
        List<ReplayRefusedEvent> refusals = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refusals::add);
        CloseableHttpClient client = client();
        call(client, new HttpGet(world.api.uri("/warm-up")));
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        HttpPost post = new HttpPost(world.api.uri("/upload"));
        post.setEntity(new InputStreamEntity(new ByteArrayInputStream("one-shot".getBytes(StandardCharsets.UTF_8)),
                ContentType.TEXT_PLAIN));

        Answer answer = call(client, post);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("revoked");
        assertThat(world.api.requests("/upload")).singleElement()
                .satisfies(seen -> assertThat(seen.bodyAsString()).isEqualTo("one-shot"));
        assertThat(refusals).singleElement().extracting(ReplayRefusedEvent::getReason)
                .isEqualTo(ReplayRefusal.NOT_REPLAYABLE);
        assertThat(world.tokens.requestCount()).isEqualTo(1);
        assertThat(pool.getTotalStats().getLeased()).isZero();
    }

    @Test
    @DisplayName("A redirect to another origin carries no token, for 302 and 307 alike")
    void shouldNeverCarryTheTokenToAnotherOrigin() throws IOException {
        world.api.redirect("/moved", world.elsewhere.uri("/landing"), 302);
        world.api.redirect("/moved-post", world.elsewhere.uri("/landing-post"), 307);
        CloseableHttpClient client = client();

        Answer get = call(client, new HttpGet(world.api.uri("/moved")));
        HttpPost post = new HttpPost(world.api.uri("/moved-post"));
        post.setEntity(new StringEntity("payload"));
        Answer posted = call(client, post);

        assertThat(get.status()).isEqualTo(200);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(world.api.requests()).extracting(RecordedRequest::bearerToken).doesNotContainNull();
        assertThat(world.elsewhere.requests()).hasSize(2).noneMatch(RecordedRequest::hasAuthorization);
        assertThat(world.elsewhere.requests("/landing-post")).singleElement()
                .satisfies(seen -> assertThat(seen.bodyAsString()).isEqualTo("payload"));
    }

    @Test
    @DisplayName("A Host header naming another authority keeps the token off the request, however it is routed")
    void shouldNotSendTheTokenUnderAnotherHostHeader() throws IOException {
        HttpGet misdirected = new HttpGet(world.api.uri("/orders"));
        misdirected.addHeader("Host", "tenant.example.com");

        Answer answer = call(client(), misdirected);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(world.api.requests("/orders")).singleElement().satisfies(seen -> {
            assertThat(seen.header("Host")).isEqualTo("tenant.example.com");
            assertThat(seen.hasAuthorization()).isFalse();
        });
        assertThat(world.tokens.requestCount()).isZero();
    }

    @Test
    @DisplayName("The token never travels in the clear to a proxy off this host, even for an allowed loopback origin")
    void shouldNotSendTheTokenThroughAPlainHttpProxyOffThisHost() throws IOException {
        // A proxy known by a name that is not loopback; the address only lets the test reach it on this host.
        HttpHost proxy = new HttpHost("http", InetAddress.getByAddress("proxy.example.com", new byte[] {127, 0, 0, 1}),
                "proxy.example.com", world.elsewhere.baseUri().getPort());

        Answer answer = call(client(HttpClients.custom().setProxy(proxy)), new HttpGet(world.api.uri("/orders")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(world.elsewhere.requests("/orders")).singleElement()
                .satisfies(seen -> assertThat(seen.hasAuthorization()).isFalse());
        assertThat(world.api.requestCount()).isZero();
    }

    @Test
    @DisplayName("Every hop of a redirect chain is judged by its own origin")
    void shouldJudgeEveryRedirectHop() throws IOException {
        world.api.redirect("/old", world.api.uri("/new"), 301);
        world.elsewhere.redirect("/out", world.api.uri("/back"), 302);
        CloseableHttpClient client = client();

        assertThat(call(client, new HttpGet(world.api.uri("/old"))).status()).isEqualTo(200);
        assertThat(call(client, new HttpGet(world.elsewhere.uri("/out"))).status()).isEqualTo(200);

        String token = LoopbackApi.currentToken(policy);
        assertThat(world.api.requests()).extracting(RecordedRequest::path, RecordedRequest::bearerToken)
                .containsExactly(tuple("/old", token),
                        tuple("/new", token),
                        tuple("/back", token));
        assertThat(world.elsewhere.requests("/out")).singleElement()
                .satisfies(seen -> assertThat(seen.hasAuthorization()).isFalse());
    }

    @Test
    @DisplayName("Each attempt of HttpClient's own retry passes through the policy and carries the token")
    void shouldAttachTheTokenToEveryRetry() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        world.api.route("/flaky", exchange -> {
            int status = attempts.incrementAndGet() == 1 ? 503 : 200;
            exchange.getResponseHeaders().set("Retry-After", "0");
            exchange.sendResponseHeaders(status, -1);
        });
        CloseableHttpClient client = client(HttpClients.custom()
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofMilliseconds(1))));

        Answer answer = call(client, new HttpGet(world.api.uri("/flaky")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(world.api.requests("/flaky")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(503, LoopbackApi.currentToken(policy)),
                        tuple(200, LoopbackApi.currentToken(policy)));
    }

    @Test
    @DisplayName("HttpClient's own Bearer credentials never reach an allowed origin, preemptive or after a 401")
    void shouldOverrideHttpClientCredentialsForAnAllowedOrigin() throws Exception {
        HttpHost api = HttpHost.create(world.api.baseUri());
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(api), new BearerToken("static-token"));
        try (CloseableHttpClient plain = HttpClients.custom().setDefaultCredentialsProvider(credentials).build()) {
            call(plain, new HttpGet(world.api.uri("/without-policy")), preemptiveBearer(api, credentials));
        }
        HttpClientContext context = preemptiveBearer(api, credentials);
        CloseableHttpClient client = client(HttpClients.custom().setDefaultCredentialsProvider(credentials));

        Answer first = call(client, new HttpGet(world.api.uri("/preemptive")), context);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        Answer second = call(client, new HttpGet(world.api.uri("/after-rejection")), context);

        assertThat(world.api.requests("/without-policy")).extracting(RecordedRequest::bearerToken)
                .as("without the handler HttpClient sends its own token preemptively")
                .isNotEmpty().containsOnly("static-token");
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(world.api.requests("/after-rejection")).extracting(RecordedRequest::status)
                .containsExactly(401, 200);
        assertThat(world.api.requests()).filteredOn(seen -> !seen.path().equals("/without-policy"))
                .hasSize(3)
                .extracting(RecordedRequest::bearerToken).doesNotContain("static-token").doesNotContainNull();
    }

    /**
     * A context in which HttpClient has already authenticated to {@code host} with Bearer credentials, so it
     * sends them with every further request unasked.
     */
    private static HttpClientContext preemptiveBearer(HttpHost host, BasicCredentialsProvider credentials)
            throws Exception {
        HttpClientContext context = HttpClientContext.create();
        BearerScheme scheme = new BearerScheme();
        scheme.isResponseReady(host, credentials, context);
        AuthExchange exchange = new AuthExchange();
        exchange.select(scheme);
        exchange.setState(AuthExchange.State.SUCCESS);
        context.setAuthExchange(host, exchange);
        return context;
    }

    @Test
    @DisplayName("HttpClient still answers another origin's challenge with its own credentials, not the policy's")
    void shouldLeaveHttpClientAuthenticationToOtherOrigins() throws IOException {
        world.elsewhere.route("/secret", exchange -> {
            boolean authorized = "Bearer static-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!authorized) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"elsewhere\"");
            }
            exchange.sendResponseHeaders(authorized ? 200 : 401, -1);
        });
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(HttpHost.create(world.elsewhere.baseUri())),
                new BearerToken("static-token"));
        CloseableHttpClient client = client(HttpClients.custom().setDefaultCredentialsProvider(credentials));
        call(client, new HttpGet(world.api.uri("/warm-up")));

        Answer answer = call(client, new HttpGet(world.elsewhere.uri("/secret")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(world.elsewhere.requests("/secret"))
                .extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(401, null),
                        tuple(200, "static-token"));
    }

    @Test
    @DisplayName("When no token can be had the caller gets the policy's exception and no connection stays leased")
    void shouldThrowThePolicyFailure() {
        world.tokens.revokeFamily(world.family.familyId());
        CloseableHttpClient client = client();

        assertThatThrownBy(() -> call(client, new HttpGet(world.api.uri("/orders"))))
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("invalid_grant")
                .hasMessageNotContaining(world.family.refreshToken());
        assertThat(world.api.requestCount()).isZero();
        assertThat(pool.getTotalStats().getLeased()).isZero();
    }

    @Test
    @DisplayName("The 401 the policy gives up on reaches the caller and its connection goes back to the pool")
    void shouldHandBackTheLastRejection() throws Exception {
        world.api.route("/always-401", exchange -> {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            byte[] body = "still rejected".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
        });
        List<ReplayRefusedEvent> refusals = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refusals::add);
        CloseableHttpClient client = client();

        try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(world.api.uri("/always-401")),
                null)) {
            assertThat(response.getCode()).isEqualTo(401);
            assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("still rejected");
        }

        assertThat(world.api.requests("/always-401")).hasSize(2);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        assertThat(refusals).singleElement().extracting(ReplayRefusedEvent::getReason)
                .isEqualTo(ReplayRefusal.REPLAY_LIMIT_REACHED);
        assertThat(pool.getTotalStats().getLeased()).isZero();
    }
}
