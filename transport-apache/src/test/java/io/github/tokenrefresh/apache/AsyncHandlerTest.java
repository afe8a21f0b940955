package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.ReplayRefusal;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.event.ReplayRefusedEvent;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.auth.AuthExchange;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.BearerToken;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.BearerScheme;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class AsyncHandlerTest {

    private static final long TIMEOUT_SECONDS = 10;

    private final LoopbackApi world = LoopbackApi.start();
    private final PoolingAsyncClientConnectionManager pool =
            PoolingAsyncClientConnectionManagerBuilder.create().build();
    private final TokenRefreshPolicy policy = world.policy();

    @AfterEach
    void tearDown() throws Exception {
        world.close();
        pool.close(CloseMode.IMMEDIATE);
    }

    private CloseableHttpAsyncClient client() {
        return client(HttpAsyncClients.custom());
    }

    private CloseableHttpAsyncClient client(HttpAsyncClientBuilder builder) {
        CloseableHttpAsyncClient client = TokenRefreshAsyncExecChainHandler.install(builder, policy)
                .setConnectionManager(pool)
                .setConnectionManagerShared(true)
                .build();
        client.start();
        return world.closeLater(client);
    }

    private static SimpleHttpResponse call(CloseableHttpAsyncClient client, SimpleHttpRequest request)
            throws Exception {
        return call(client, request, null);
    }

    private static SimpleHttpResponse call(CloseableHttpAsyncClient client, SimpleHttpRequest request,
            HttpClientContext context) throws Exception {
        return client.execute(request, context, null).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private SimpleHttpResponse warmUp(CloseableHttpAsyncClient client) throws Exception {
        return call(client, SimpleRequestBuilder.get(world.api.uri("/warm-up")).build());
    }

    @Test
    @DisplayName("A request to an allowed origin carries the policy's token, and only that Authorization header")
    void shouldAttachTheTokenToAnAllowedOrigin() throws Exception {
        SimpleHttpRequest get = SimpleRequestBuilder.get(world.api.uri("/orders"))
                .addHeader("Authorization", "Basic Y2FsbGVyOnNlY3JldA==")
                .build();

        SimpleHttpResponse response = call(client(), get);

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(world.api.requests().get(0).headers().get("authorization"))
                .containsExactly("Bearer " + LoopbackApi.currentToken(policy));
    }

    @Test
    @DisplayName("A request to another origin goes out untouched")
    void shouldLeaveOtherOriginsAlone() throws Exception {
        CloseableHttpAsyncClient client = client();
        warmUp(client);

        SimpleHttpResponse response = call(client, SimpleRequestBuilder.get(world.elsewhere.uri("/public")).build());

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(world.elsewhere.requests()).singleElement()
                .satisfies(seen -> assertThat(seen.hasAuthorization()).isFalse());
    }

    @Test
    @DisplayName("A rejected token is refreshed once and the request replayed with the same body")
    void shouldRefreshAndReplayARejectedRequest() throws Exception {
        CloseableHttpAsyncClient client = client();
        warmUp(client);
        String rejected = LoopbackApi.currentToken(policy);
        world.tokens.revoke(rejected);

        SimpleHttpResponse response = call(client, SimpleRequestBuilder.post(world.api.uri("/orders"))
                .setBody("{\"item\":42}", ContentType.APPLICATION_JSON)
                .build());

        assertThat(response.getCode()).isEqualTo(200);
        List<RecordedRequest> posts = world.api.requests("/orders");
        assertThat(posts).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(401, rejected), tuple(200, LoopbackApi.currentToken(policy)));
        assertThat(posts).extracting(RecordedRequest::bodyAsString).containsOnly("{\"item\":42}");
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .untilAsserted(() -> assertThat(pool.getTotalStats().getLeased()).isZero());
    }

    @Test
    @DisplayName("A non-repeatable entity producer is not replayed: the caller gets the 401 and an event says why")
    void shouldReturnThe401ForANonRepeatableProducer() throws Exception {
        List<ReplayRefusedEvent> refusals = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refusals::add);
        CloseableHttpAsyncClient client = client();
        warmUp(client);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        AsyncRequestProducer upload = AsyncRequestBuilder.post(world.api.uri("/upload"))
                .setEntity(new BasicAsyncEntityProducer("one-shot".getBytes(StandardCharsets.UTF_8),
                        ContentType.TEXT_PLAIN) {
                    @Override
                    public boolean isRepeatable() {
                        return false;
                    }
                })
                .build();

        SimpleHttpResponse response = client.execute(upload, SimpleResponseConsumer.create(), null)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(response.getCode()).isEqualTo(401);
        assertThat(response.getBodyText()).contains("revoked");
        assertThat(world.api.requests("/upload")).singleElement()
                .satisfies(seen -> assertThat(seen.bodyAsString()).isEqualTo("one-shot"));
        assertThat(refusals).singleElement().extracting(ReplayRefusedEvent::getReason)
                .isEqualTo(ReplayRefusal.NOT_REPLAYABLE);
        assertThat(world.tokens.requestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("The 401 the policy gives up on streams to the caller's consumer, body and all")
    void shouldHandBackTheLastRejection() throws Exception {
        List<ReplayRefusedEvent> refusals = new CopyOnWriteArrayList<>();
        policy.getEventPublisher().onReplayRefused(refusals::add);
        world.api.route("/always-401", exchange -> {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            byte[] body = "still rejected".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
        });

        SimpleHttpResponse response = call(client(), SimpleRequestBuilder.get(world.api.uri("/always-401")).build());

        assertThat(response.getCode()).isEqualTo(401);
        assertThat(response.getBodyText()).isEqualTo("still rejected");
        assertThat(world.api.requests("/always-401")).hasSize(2);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        assertThat(refusals).singleElement().extracting(ReplayRefusedEvent::getReason)
                .isEqualTo(ReplayRefusal.REPLAY_LIMIT_REACHED);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .untilAsserted(() -> assertThat(pool.getTotalStats().getLeased()).isZero());
    }

    @Test
    @DisplayName("A redirect to another origin carries no token; a hop back to the allowed origin does")
    void shouldJudgeEveryRedirectHop() throws Exception {
        world.api.redirect("/moved", world.elsewhere.uri("/landing"), 307);
        world.elsewhere.redirect("/out", world.api.uri("/back"), 302);
        CloseableHttpAsyncClient client = client();

        SimpleHttpResponse moved = call(client, SimpleRequestBuilder.post(world.api.uri("/moved"))
                .setBody("payload", ContentType.TEXT_PLAIN).build());
        SimpleHttpResponse back = call(client, SimpleRequestBuilder.get(world.elsewhere.uri("/out")).build());

        assertThat(moved.getCode()).isEqualTo(200);
        assertThat(back.getCode()).isEqualTo(200);
        String token = LoopbackApi.currentToken(policy);
        assertThat(world.api.requests()).extracting(RecordedRequest::path, RecordedRequest::bearerToken)
                .containsExactly(tuple("/moved", token), tuple("/back", token));
        assertThat(world.elsewhere.requests()).extracting(RecordedRequest::path)
                .containsExactly("/landing", "/out");
        assertThat(world.elsewhere.requests()).noneMatch(RecordedRequest::hasAuthorization);
        assertThat(world.elsewhere.requests("/landing").get(0).bodyAsString()).isEqualTo("payload");
    }

    @Test
    @DisplayName("A Host header naming another authority keeps the token off the request, however it is routed")
    void shouldNotSendTheTokenUnderAnotherHostHeader() throws Exception {
        SimpleHttpRequest misdirected = SimpleRequestBuilder.get(world.api.uri("/orders"))
                .addHeader("Host", "tenant.example.com")
                .build();

        SimpleHttpResponse response = call(client(), misdirected);

        assertThat(response.getCode()).isEqualTo(401);
        assertThat(world.api.requests("/orders")).singleElement().satisfies(seen -> {
            assertThat(seen.header("Host")).isEqualTo("tenant.example.com");
            assertThat(seen.hasAuthorization()).isFalse();
        });
        assertThat(world.tokens.requestCount()).isZero();
    }

    @Test
    @DisplayName("The token never travels in the clear to a proxy off this host, even for an allowed loopback origin")
    void shouldNotSendTheTokenThroughAPlainHttpProxyOffThisHost() throws Exception {
        // A proxy known by a name that is not loopback; the address only lets the test reach it on this host.
        HttpHost proxy = new HttpHost("http", InetAddress.getByAddress("proxy.example.com", new byte[] {127, 0, 0, 1}),
                "proxy.example.com", world.elsewhere.baseUri().getPort());

        SimpleHttpResponse response = call(client(HttpAsyncClients.custom().setProxy(proxy)),
                SimpleRequestBuilder.get(world.api.uri("/orders")).build());

        assertThat(response.getCode()).isEqualTo(200);
        assertThat(world.elsewhere.requests("/orders")).singleElement()
                .satisfies(seen -> assertThat(seen.hasAuthorization()).isFalse());
        assertThat(world.api.requestCount()).isZero();
    }

    @Test
    @DisplayName("Each attempt of HttpClient's own retry passes through the policy and carries the token")
    void shouldAttachTheTokenToEveryRetry() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        world.api.route("/flaky", exchange -> {
            int status = attempts.incrementAndGet() == 1 ? 503 : 200;
            exchange.getResponseHeaders().set("Retry-After", "0");
            exchange.sendResponseHeaders(status, -1);
        });
        CloseableHttpAsyncClient client = client(HttpAsyncClients.custom()
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofMilliseconds(1))));

        SimpleHttpResponse response = call(client, SimpleRequestBuilder.get(world.api.uri("/flaky")).build());

        assertThat(response.getCode()).isEqualTo(200);
        String token = LoopbackApi.currentToken(policy);
        assertThat(world.api.requests("/flaky")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(503, token), tuple(200, token));
    }

    @Test
    @DisplayName("HttpClient's own Bearer credentials never reach an allowed origin")
    void shouldOverrideHttpClientCredentialsForAnAllowedOrigin() throws Exception {
        HttpHost api = HttpHost.create(world.api.baseUri());
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(new AuthScope(api), new BearerToken("static-token"));
        CloseableHttpAsyncClient client = client(HttpAsyncClients.custom()
                .setDefaultCredentialsProvider(credentials));
        HttpClientContext context = HttpClientContext.create();
        BearerScheme scheme = new BearerScheme();
        scheme.isResponseReady(api, credentials, context);
        AuthExchange exchange = new AuthExchange();
        exchange.select(scheme);
        exchange.setState(AuthExchange.State.SUCCESS);
        context.setAuthExchange(api, exchange);

        SimpleHttpResponse first = call(client, SimpleRequestBuilder.get(world.api.uri("/preemptive")).build(),
                context);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        SimpleHttpResponse second = call(client,
                SimpleRequestBuilder.get(world.api.uri("/after-rejection")).build(), context);

        assertThat(first.getCode()).isEqualTo(200);
        assertThat(second.getCode()).isEqualTo(200);
        assertThat(world.api.requests()).hasSize(3)
                .extracting(RecordedRequest::bearerToken).doesNotContain("static-token");
    }

    @Test
    @DisplayName("While a refresh is held up, the single I/O reactor thread keeps serving other requests")
    void shouldNotBlockTheReactorWhileARefreshRuns() throws Exception {
        CloseableHttpAsyncClient client = client(HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build()));
        warmUp(client);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        world.tokens.holdResponses();

        Future<SimpleHttpResponse> waiting = client.execute(
                SimpleRequestBuilder.get(world.api.uri("/orders")).build(), null);
        assertThat(world.tokens.awaitHeldResponses(1, Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
        SimpleHttpResponse other = call(client, SimpleRequestBuilder.get(world.elsewhere.uri("/public")).build());
        boolean stillWaiting = !waiting.isDone();
        world.tokens.releaseResponses();

        assertThat(other.getCode()).isEqualTo(200);
        assertThat(stillWaiting).isTrue();
        assertThat(waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("Cancelling a request that waits for a refresh ends it at once; the refresh goes on for others")
    void shouldCancelARequestWaitingForARefresh() throws Exception {
        CloseableHttpAsyncClient client = client();
        warmUp(client);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        world.tokens.holdResponses();

        Future<SimpleHttpResponse> cancelled = client.execute(
                SimpleRequestBuilder.get(world.api.uri("/cancelled")).build(), null);
        assertThat(world.tokens.awaitHeldResponses(1, Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
        Future<SimpleHttpResponse> other = client.execute(
                SimpleRequestBuilder.get(world.api.uri("/other")).build(), null);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .until(() -> world.api.requests("/other").size() == 1);
        assertThat(cancelled.cancel(true)).isTrue();
        world.tokens.releaseResponses();

        assertThatThrownBy(() -> cancelled.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class);
        assertThat(other.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(world.api.requests("/cancelled")).extracting(RecordedRequest::status).containsExactly(401);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .untilAsserted(() -> assertThat(pool.getTotalStats().getLeased()).isZero());
    }

    @Test
    @DisplayName("When no token can be had the future fails with the policy's exception")
    void shouldFailTheFutureWithThePolicyFailure() {
        world.tokens.revokeFamily(world.family.familyId());
        CloseableHttpAsyncClient client = client();

        assertThatThrownBy(() -> call(client, SimpleRequestBuilder.get(world.api.uri("/orders")).build()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("invalid_grant");
        assertThat(world.api.requestCount()).isZero();
        assertThat(pool.getTotalStats().getLeased()).isZero();
    }
}
