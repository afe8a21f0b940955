package io.github.tokenrefresh.apache;

import com.sun.net.httpserver.HttpExchange;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_ID;
import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The token endpoint behind the API's own origin, reached through the API's own client and a pool of one connection
 * per route: the setup of a gateway that serves {@code /token} next to the API. The refresh after a 401 needs the
 * very connection the 401 came on, so it works only because the rejected exchange gives its connection back before
 * the refresh; and the token request must pass the handler with its Basic credentials, not the bearer token.
 */
class SharedPoolTest {

    private static final Timeout LEASE_TIMEOUT = Timeout.ofSeconds(3);

    private final LoopbackApi world = LoopbackApi.start();
    private final HttpClient forwarder = HttpClient.newHttpClient();

    SharedPoolTest() {
        world.api.route("/token", this::forwardToTheTokenServer);
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
    }

    /** The gateway: hands {@code /token} on to the token server and its answer back. */
    private void forwardToTheTokenServer(HttpExchange exchange) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(world.tokens.tokenEndpoint())
                .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
        for (String name : new String[] {"Authorization", "Content-Type", "Accept"}) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        answer.headers().firstValue("Content-Type")
                .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private TokenRefreshPolicy policy(TokenEndpointTransport transport) {
        TokenEndpoint endpoint = TokenEndpoint.builder(world.api.uri("/token"))
                .clientAuthentication(ClientAuthentication.clientSecretBasic(DEFAULT_CLIENT_ID,
                        Secret.of(DEFAULT_CLIENT_SECRET)))
                .transport(transport)
                .build();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint)
                .initialRefreshToken(Secret.of(world.family.refreshToken()))
                .build();
        return world.closeLater(TokenRefreshPolicy.of("gateway",
                TokenRefreshConfig.custom().allowedOrigin(world.api.baseUri()).build(), grant));
    }

    private void assertTokenRequestsKeptTheirOwnCredentials() {
        String rejected = world.api.requests("/orders").get(1).bearerToken();
        assertThat(world.api.requests("/orders")).extracting(RecordedRequest::path, RecordedRequest::status)
                .containsExactly(tuple("/orders", 200), tuple("/orders", 401), tuple("/orders", 200));
        assertThat(rejected).isNotNull();
        assertThat(world.api.requests("/token")).hasSize(2).allSatisfy(seen -> {
            assertThat(seen.header("Authorization")).startsWith("Basic ");
            assertThat(seen.status()).isEqualTo(200);
        });
        assertThat(world.tokens.requestCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("Classic: one connection per route serves the 401, the refresh through the gateway, and the replay")
    void shouldRefreshThroughTheSameRouteWithAClassicClient() throws Exception {
        CloseableHttpClient[] client = new CloseableHttpClient[1];
        TokenRefreshPolicy policy = policy(request -> ApacheTokenEndpointTransport.of(client[0]).send(request));
        client[0] = world.closeLater(TokenRefreshExecChainHandler.install(HttpClients.custom(), policy)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(1).setMaxConnTotal(1).build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(LEASE_TIMEOUT).build())
                .build());

        assertThat(get(client[0])).isEqualTo(200);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        assertThat(get(client[0])).isEqualTo(200);

        assertTokenRequestsKeptTheirOwnCredentials();
    }

    @Test
    @DisplayName("Async: one connection per route serves the 401, the refresh through the gateway, and the replay")
    void shouldRefreshThroughTheSameRouteWithAnAsyncClient() throws Exception {
        CloseableHttpAsyncClient[] client = new CloseableHttpAsyncClient[1];
        TokenRefreshPolicy policy = policy(request -> ApacheAsyncTokenEndpointTransport.of(client[0])
                .send(request));
        client[0] = world.closeLater(TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(), policy)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(1).setMaxConnTotal(1).build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(LEASE_TIMEOUT).build())
                .build());
        client[0].start();

        assertThat(get(client[0])).isEqualTo(200);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        assertThat(get(client[0])).isEqualTo(200);

        assertTokenRequestsKeptTheirOwnCredentials();
    }

    private int get(CloseableHttpClient client) throws IOException {
        return client.execute(new HttpGet(world.api.uri("/orders")), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private int get(CloseableHttpAsyncClient client) throws Exception {
        return client.execute(SimpleRequestBuilder.get(world.api.uri("/orders")).build(), null)
                .get(10, TimeUnit.SECONDS).getCode();
    }
}
