package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.store.TokenStore;
import io.github.tokenrefresh.testing.ManualClock;
import io.github.tokenrefresh.testing.ManualScheduler;
import io.github.tokenrefresh.testing.RecordedRequest;
import io.github.tokenrefresh.testing.ScriptedResponse;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Both token endpoint transports, the classic and the async one, against the same faults. Where a fault matters to
 * callers, it is reached the way an application meets it: an API call through the matching exec chain handler whose
 * policy refreshes over the transport.
 */
class TokenEndpointTransportTest {

    /** The two flavours of HttpClient, each with its transport and its handler. */
    enum Flavour { CLASSIC, ASYNC }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final LoopbackApi world = LoopbackApi.start(clock);

    private final PoolingHttpClientConnectionManager classicPool =
            PoolingHttpClientConnectionManagerBuilder.create().build();
    private final CloseableHttpClient classicTokenClient =
            world.closeLater(HttpClients.custom().setConnectionManager(classicPool).build());
    private final ThreadPoolExecutor classicThreads = (ThreadPoolExecutor) Executors.newCachedThreadPool();

    private final PoolingAsyncClientConnectionManager asyncPool =
            PoolingAsyncClientConnectionManagerBuilder.create().build();
    private final CloseableHttpAsyncClient asyncTokenClient =
            world.closeLater(HttpAsyncClients.custom().setConnectionManager(asyncPool).build());

    TokenEndpointTransportTest() {
        asyncTokenClient.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        classicThreads.shutdownNow();
        world.close();
        scheduler.shutdownNow();
    }

    private TokenEndpointTransport transport(Flavour flavour) {
        return flavour == Flavour.CLASSIC
                ? ApacheTokenEndpointTransport.of(classicTokenClient, classicThreads)
                : ApacheAsyncTokenEndpointTransport.of(asyncTokenClient);
    }

    private TokenRefreshPolicy policy(Flavour flavour) {
        return policy(flavour, TIMEOUT);
    }

    private TokenRefreshPolicy policy(Flavour flavour, Duration refreshTimeout) {
        return world.policy(world.config().clock(clock).scheduler(scheduler).refreshTimeout(refreshTimeout)
                .build(), transport(flavour));
    }

    /** An API call through the flavour's handler: the status, or the exception the caller gets. */
    private int callApi(Flavour flavour, TokenRefreshPolicy policy) throws Exception {
        if (flavour == Flavour.CLASSIC) {
            try (CloseableHttpClient client = TokenRefreshExecChainHandler.install(HttpClients.custom(), policy)
                    .build()) {
                return client.execute(new HttpGet(world.api.uri("/orders")), response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
            }
        }
        try (CloseableHttpAsyncClient client = TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(),
                policy).build()) {
            client.start();
            return client.execute(SimpleRequestBuilder.get(world.api.uri("/orders")).build(), null)
                    .get(10, TimeUnit.SECONDS).getCode();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private void assertNothingHeld(Flavour flavour) {
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            if (flavour == Flavour.CLASSIC) {
                assertThat(classicThreads.getActiveCount()).as("busy exchange threads").isZero();
                assertThat(classicPool.getTotalStats().getLeased()).as("leased connections").isZero();
            } else {
                assertThat(asyncPool.getTotalStats().getLeased()).as("leased connections").isZero();
            }
        });
    }

    private TokenEndpointRequest request(String path, int maxResponseBytes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Basic Y2xpZW50OnNlY3JldA==");
        byte[] body = "grant_type=refresh_token&refresh_token=r%2B1".getBytes(StandardCharsets.UTF_8);
        return new TokenEndpointRequest(world.elsewhere.uri(path), headers, body, Duration.ofSeconds(5),
                maxResponseBytes);
    }

    private static TokenEndpointResponse send(TokenEndpointTransport transport, TokenEndpointRequest request) {
        return transport.send(request).toCompletableFuture().join();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("Posts exactly the given headers and body, and returns status, headers and body as answered")
    void shouldPostTheRequestAsBuilt(Flavour flavour) {
        world.elsewhere.route("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Set-Cookie", "session=abc; Path=/");
            byte[] body = "{\"access_token\":\"a\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        TokenEndpointTransport transport = transport(flavour);

        TokenEndpointResponse first = send(transport, request("/token", 1024));
        send(transport, request("/token", 1024));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("content-type")).contains("application/json");
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"access_token\":\"a\"}");
        assertThat(world.elsewhere.requests("/token")).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.method()).isEqualTo("POST");
            assertThat(seen.headers().get("content-type"))
                    .containsExactly("application/x-www-form-urlencoded; charset=UTF-8");
            assertThat(seen.headers().get("authorization")).containsExactly("Basic Y2xpZW50OnNlY3JldA==");
            assertThat(seen.headers().get("accept")).containsExactly("application/json");
            assertThat(seen.bodyAsString()).isEqualTo("grant_type=refresh_token&refresh_token=r%2B1");
            assertThat(seen.headers()).doesNotContainKeys("cookie", "accept-encoding");
        });
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("The largest cap a request may carry, Integer.MAX_VALUE, reads an answer whole instead of overflowing")
    void shouldTakeTheLargestCap(Flavour flavour) {
        world.elsewhere.route("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"access_token\":\"a\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });

        TokenEndpointResponse response = send(transport(flavour), request("/token", Integer.MAX_VALUE));

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"access_token\":\"a\"}");
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("Never follows a redirect: the 3xx itself is the answer")
    void shouldNotFollowARedirect(Flavour flavour) {
        world.elsewhere.redirect("/token", world.api.uri("/stolen"), 307);

        TokenEndpointResponse response = send(transport(flavour), request("/token", 1024));

        assertThat(response.status()).isEqualTo(307);
        assertThat(response.header("Location")).contains(world.api.uri("/stolen").toString());
        assertThat(world.api.requestCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("Reads at most the cap plus one byte of an oversized answer and does not keep its connection")
    void shouldCutOffAnOversizedAnswer(Flavour flavour) {
        world.elsewhere.route("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] chunk = new byte[64 * 1024];
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // The client hung up after the cap, as it should.
            }
        });

        TokenEndpointResponse response = send(transport(flavour), request("/token", 1024));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(1025);
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("A 503 fails the call as retryable; after the backoff the next call gets a token")
    void shouldRecoverFromA503(Flavour flavour) throws Exception {
        world.tokens.enqueue(ScriptedResponse.error(503, "temporarily_unavailable"));
        TokenRefreshPolicy policy = policy(flavour);

        Throwable failure = catchThrowable(() -> callApi(flavour, policy));
        clock.advance(Duration.ofSeconds(2));
        int status = callApi(flavour, policy);

        assertThat(failure).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("temporarily_unavailable");
        assertThat(((TokenEndpointUnavailableException) failure).status()).isEqualTo(503);
        assertThat(((TokenEndpointUnavailableException) failure).isRetryable()).isTrue();
        assertThat(status).isEqualTo(200);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        assertThat(world.api.requests()).extracting(RecordedRequest::status).containsExactly(200);
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("A body that is not JSON is a protocol error naming the endpoint and the problem")
    void shouldReportAGarbageBody(Flavour flavour) {
        world.tokens.enqueue(ScriptedResponse.body(200, "text/html", "<html>maintenance</html>"));
        TokenRefreshPolicy policy = policy(flavour);

        assertThatThrownBy(() -> callApi(flavour, policy))
                .isInstanceOf(TokenEndpointProtocolException.class)
                .hasMessageContaining(world.tokens.tokenEndpoint().getAuthority())
                .hasMessageContaining("answered 200");
        assertThat(world.api.requestCount()).isZero();
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("A connection closed in the middle of the answer is a retryable I/O failure")
    void shouldReportAConnectionClosedMidResponse(Flavour flavour) {
        world.tokens.enqueue(ScriptedResponse.disconnectMidResponse());
        TokenRefreshPolicy policy = policy(flavour);

        assertThatThrownBy(() -> callApi(flavour, policy))
                .isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("could not be reached")
                .hasRootCauseInstanceOf(IOException.class)
                .satisfies(e -> assertThat(((TokenEndpointUnavailableException) e).isRetryable()).isTrue());
        assertThat(world.api.requestCount()).isZero();
        assertNothingHeld(flavour);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    @DisplayName("An answer slower than the timeout fails the call in time and frees its thread and connection")
    void shouldTimeOutASlowAnswer(Flavour flavour) {
        world.tokens.enqueue(ScriptedResponse.delayed(SLOW_ANSWER));
        TokenRefreshPolicy policy = policy(flavour, SHORT_TIMEOUT);

        long started = System.nanoTime();
        Throwable failure = catchThrowable(() -> callApi(flavour, policy));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("did not answer in time")
                .hasRootCauseInstanceOf(TimeoutException.class);
        assertThat(failure.getCause())
                .hasMessageContaining("did not answer within " + SHORT_TIMEOUT.toMillis() + " ms");
        assertThat(took).isLessThan(SLOW_ANSWER.dividedBy(2));
        assertNothingHeld(flavour);
    }

    @Test
    @DisplayName("The async transport hands its answer off the I/O reactor: a slow token store never stalls the client")
    void shouldNotRunThePolicyOnTheReactorThread() throws Exception {
        CloseableHttpAsyncClient tokenClient = world.closeLater(HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .build());
        tokenClient.start();
        SlowStore store = new SlowStore(clock);
        TokenRefreshPolicy policy = world.policy(world.config().clock(clock).scheduler(scheduler).build(),
                ApacheAsyncTokenEndpointTransport.of(tokenClient), store);
        CloseableHttpAsyncClient client = world.closeLater(TokenRefreshAsyncExecChainHandler.install(
                HttpAsyncClients.custom(), policy).build());
        client.start();
        assertThat(get(client, world.api.uri("/warm-up")).get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        store.hold();

        Future<SimpleHttpResponse> replayed = get(client, world.api.uri("/orders"));
        try {
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("the store writes the new tokens").isTrue();
            assertThat(get(tokenClient, world.elsewhere.uri("/public")).get(5, TimeUnit.SECONDS).getCode())
                    .as("another exchange of the token client while the store writes").isEqualTo(200);
        } finally {
            store.release.countDown();
        }
        assertThat(replayed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
    }

    private static Future<SimpleHttpResponse> get(CloseableHttpAsyncClient client, URI uri) {
        return client.execute(SimpleRequestBuilder.get(uri).build(), null);
    }

    /** An in-memory store whose next write, once held, waits until released, as a store across a network may. */
    private static final class SlowStore implements TokenStore {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final TokenStore delegate;
        private volatile boolean held;

        SlowStore(Clock clock) {
            this.delegate = new InMemoryTokenStore(clock);
        }

        void hold() {
            held = true;
        }

        @Override
        public Optional<TokenSet> load(String name) {
            return delegate.load(name);
        }

        @Override
        public boolean compareAndSet(String name, long expectedVersion, TokenSet next) {
            if (held) {
                held = false;
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.compareAndSet(name, expectedVersion, next);
        }
    }

    @Test
    @DisplayName("The async transport refuses to work over a client that was never started, and says so")
    void shouldExplainAnAsyncClientThatIsNotStarted() throws IOException {
        try (CloseableHttpAsyncClient idle = HttpAsyncClients.createDefault()) {
            TokenEndpointTransport transport = ApacheAsyncTokenEndpointTransport.of(idle);

            assertThatThrownBy(() -> send(transport, request("/token", 1024)))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start()");
        }
    }
}
