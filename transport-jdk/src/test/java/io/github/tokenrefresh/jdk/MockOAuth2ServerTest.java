package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.event.RefreshSucceededEvent;
import io.github.tokenrefresh.event.ReplayedEvent;
import io.github.tokenrefresh.event.TokenRefreshEvent;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real OAuth2 server, NAV's mock-oauth2-server, started in-process on loopback with refresh token
 * rotation on: a user logs in with the authorization code flow, then the policy keeps the session alive with the
 * {@code refresh_token} grant through {@link JdkTokenEndpointTransport}, and the decorated client calls the server's
 * userinfo endpoint, which verifies each token's signature.
 */
class MockOAuth2ServerTest {

    private static final String ISSUER = "orders";
    private static final String CLIENT_ID = "orders-service";
    private static final Secret CLIENT_SECRET = Secret.of("orders-service-secret");
    private static final String CALLBACK = "http://127.0.0.1:9/callback";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
    private final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<TokenRefreshEvent> events = new CopyOnWriteArrayList<>();
    private TokenEndpoint endpoint;
    private URI userInfo;

    @BeforeEach
    void start() {
        server.start(InetAddress.getLoopbackAddress(), 0);
        endpoint = TokenEndpoint.builder(URI.create(server.tokenEndpointUrl(ISSUER).toString()))
                .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET))
                .transport(JdkTokenEndpointTransport.create())
                .build();
        userInfo = URI.create(server.userInfoUrl(ISSUER).toString());
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    /** The authorization code flow, as a browser and the app's back end would run it. */
    private TokenResponse logIn() throws Exception {
        URI authorize = URI.create(server.authorizationEndpointUrl(ISSUER) + "?response_type=code"
                + "&client_id=" + CLIENT_ID + "&scope=" + URLEncoder.encode("openid offline_access",
                StandardCharsets.UTF_8) + "&state=s1&redirect_uri=" + URLEncoder.encode(CALLBACK,
                StandardCharsets.UTF_8));
        HttpResponse<Void> consent = plain.send(HttpRequest.newBuilder(authorize).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(consent.statusCode()).isEqualTo(302);
        String query = URI.create(consent.headers().firstValue("Location").orElseThrow()).getQuery();
        String code = query.replaceAll(".*(?:^|&)code=([^&]+).*", "$1");

        return endpoint.exchange(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK),
                TIMEOUT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private TokenRefreshPolicy policy(Secret refreshToken) {
        TokenRefreshConfig config = TokenRefreshConfig.custom().allowedOrigin(userInfo).build();
        TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders", config,
                RefreshTokenGrant.builder(endpoint).initialRefreshToken(refreshToken).build());
        policy.getEventPublisher().onEvent(events::add);
        return policy;
    }

    /** The first {@code count} requests the server received, in order, as "path without query" to request. */
    private List<Map.Entry<String, RecordedRequest>> received(int count) {
        List<Map.Entry<String, RecordedRequest>> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            String path = request.getPath().split("\\?")[0];
            requests.add(Map.entry(path.substring(path.lastIndexOf('/')), request));
        }
        return requests;
    }

    private static HttpResponse<String> get(HttpClient client, URI uri, boolean async) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        return async
                ? client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS)
                : client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("After a login, the policy gets its first token with the refresh_token grant and the call succeeds")
    void shouldObtainATokenFromTheRealServer(boolean async) throws Exception {
        TokenResponse login = logIn();
        try (TokenRefreshPolicy policy = policy(login.refreshToken().orElseThrow())) {
            HttpClient client = TokenRefreshHttpClient.decorate(plain, policy);

            HttpResponse<String> response = get(client, userInfo, async);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"sub\"");
            List<Map.Entry<String, RecordedRequest>> received = received(4);
            assertThat(received).extracting(Map.Entry::getKey)
                    .containsExactly("/authorize", "/token", "/token", "/userinfo");
            RecordedRequest refresh = received.get(2).getValue();
            assertThat(refresh.getHeader("Authorization")).startsWith("Basic ");
            assertThat(refresh.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(refresh.getBody().readUtf8()).contains("grant_type=refresh_token");
            assertThat(events).filteredOn(RefreshSucceededEvent.class::isInstance).singleElement()
                    .satisfies(event -> {
                        assertThat(event.getTrigger()).isEqualTo(RefreshTrigger.INITIAL);
                        assertThat(((RefreshSucceededEvent) event).isRefreshTokenRotated()).isTrue();
                    });
            assertThat(policy.currentTokens().orElseThrow().refreshToken())
                    .isPresent().isNotEqualTo(login.refreshToken());
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A token the real server rejects is refreshed once, and the call is replayed and succeeds")
    void shouldRefreshWhenTheRealServerRejectsTheToken(boolean async) throws Exception {
        TokenResponse login = logIn();
        try (TokenRefreshPolicy policy = policy(login.refreshToken().orElseThrow())) {
            // A token the server never signed, as after a key rotation: userinfo answers 401 invalid_token.
            policy.supplyTokens(TokenSet.builder()
                    .accessToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.")
                    .refreshToken(login.refreshToken().orElseThrow())
                    .expiresAt(Instant.now().plus(Duration.ofHours(1)))
                    .build());
            HttpClient client = TokenRefreshHttpClient.decorate(plain, policy);

            HttpResponse<String> response = get(client, userInfo, async);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"sub\"");
            List<Map.Entry<String, RecordedRequest>> received = received(5);
            assertThat(received).extracting(Map.Entry::getKey)
                    .containsExactly("/authorize", "/token", "/userinfo", "/token", "/userinfo");
            assertThat(received.get(4).getValue().getHeader("Authorization"))
                    .isEqualTo("Bearer " + policy.currentTokens().orElseThrow().accessToken().value().reveal());
            assertThat(events).filteredOn(RefreshSucceededEvent.class::isInstance).singleElement()
                    .satisfies(event -> assertThat(event.getTrigger()).isEqualTo(RefreshTrigger.REACTIVE));
            assertThat(events).filteredOn(ReplayedEvent.class::isInstance).hasSize(1);
        }
    }
}
