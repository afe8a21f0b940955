package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.GrantRequest;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.RefreshTrigger;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenResponse;
import io.github.tokenrefresh.TokenSet;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_ID;
import static io.github.tokenrefresh.testing.LoopbackTokenServer.DEFAULT_CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenEndpointGrantTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LoopbackTokenServer server = LoopbackTokenServer.start();

    @AfterEach
    void tearDown() {
        server.close();
    }

    private TokenEndpoint endpoint(ClientAuthentication authentication) {
        return TokenEndpoint.builder(server.tokenEndpoint())
                .clientAuthentication(authentication)
                .transport(new JdkTestTransport())
                .build();
    }

    private static ClientAuthentication basic() {
        return ClientAuthentication.clientSecretBasic(DEFAULT_CLIENT_ID, Secret.of(DEFAULT_CLIENT_SECRET));
    }

    private static GrantRequest request(TokenSet current) {
        return new GrantRequest("orders", current, RefreshTrigger.REACTIVE, TIMEOUT);
    }

    private static TokenSet holding(String refreshToken) {
        return TokenSet.builder().accessToken("old").refreshToken(refreshToken).version(1).build();
    }

    private static TokenResponse join(java.util.concurrent.CompletionStage<TokenResponse> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    @DisplayName("The refresh_token grant with client_secret_basic gets a new access token and a rotated refresh token")
    void shouldRefreshWithBasicAuthentication() {
        TokenFamily family = server.issueFamily();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        TokenResponse response = join(grant.requestTokens(request(holding(family.refreshToken()))));

        assertThat(server.isValid(response.accessToken().reveal())).isTrue();
        assertThat(response.refreshToken()).isPresent().isNotEqualTo(java.util.Optional.of(
                Secret.of(family.refreshToken())));
        assertThat(response.expiresIn()).contains(LoopbackTokenServer.DEFAULT_ACCESS_TOKEN_LIFETIME);
        assertThat(server.tokenRequests()).singleElement().satisfies(seen -> {
            assertThat(seen.grantType()).isEqualTo("refresh_token");
            assertThat(seen.clientAuthMethod().registeredName()).isEqualTo("client_secret_basic");
        });
    }

    @Test
    @DisplayName("client_secret_post sends the client credentials in the form")
    void shouldRefreshWithPostAuthentication() {
        TokenFamily family = server.issueFamily();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(
                ClientAuthentication.clientSecretPost(DEFAULT_CLIENT_ID, Secret.of(DEFAULT_CLIENT_SECRET)))).build();

        join(grant.requestTokens(request(holding(family.refreshToken()))));

        assertThat(server.tokenRequests()).singleElement().satisfies(seen -> {
            assertThat(seen.clientAuthMethod().registeredName()).isEqualTo("client_secret_post");
            assertThat(seen.formFieldNames()).contains("client_id", "client_secret", "refresh_token");
        });
    }

    @Test
    @DisplayName("Before the policy holds tokens, the grant presents its initial refresh token")
    void shouldPresentTheInitialRefreshToken() {
        TokenFamily family = server.issueFamily();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic()))
                .initialRefreshToken(Secret.of(family.refreshToken()))
                .build();

        TokenResponse response = join(grant.requestTokens(new GrantRequest("orders", null, RefreshTrigger.INITIAL,
                TIMEOUT)));

        assertThat(server.isValid(response.accessToken().reveal())).isTrue();
    }

    @Test
    @DisplayName("Without any refresh token the grant asks for re-authentication and calls nobody")
    void shouldRequireReauthenticationWithoutARefreshToken() {
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(new GrantRequest("orders", null, RefreshTrigger.INITIAL,
                TIMEOUT)))).hasCauseInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("no refresh token");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    @DisplayName("A reused refresh token is refused with invalid_grant, which means re-authentication")
    void shouldMapInvalidGrantToReauthentication() {
        TokenFamily family = server.issueFamily();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();
        join(grant.requestTokens(request(holding(family.refreshToken()))));

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding(family.refreshToken())))))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(ReauthenticationRequiredException.class, e -> {
                    assertThat(e.error()).contains("invalid_grant");
                    assertThat(e.getMessage()).contains("sign in again");
                });
        assertThat(server.reuseDetections()).isEqualTo(1);
    }

    @Test
    @DisplayName("Wrong client credentials are refused with invalid_client, which means re-authentication")
    void shouldMapInvalidClientToReauthentication() {
        TokenFamily family = server.issueFamily();
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(
                ClientAuthentication.clientSecretBasic(DEFAULT_CLIENT_ID, Secret.of("wrong")))).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding(family.refreshToken())))))
                .cause()
                .isInstanceOfSatisfying(ReauthenticationRequiredException.class,
                        e -> assertThat(e.error()).contains("invalid_client"));
    }

    @Test
    @DisplayName("The client_credentials grant requests scopes and gets a token without a refresh token")
    void shouldObtainClientCredentialsTokens() {
        server.setRotateRefreshTokens(false);
        ClientCredentialsGrant grant = ClientCredentialsGrant.builder(endpoint(basic()))
                .scopes(List.of("orders.read"))
                .parameter("audience", "orders-api")
                .build();

        TokenResponse response = join(grant.requestTokens(new GrantRequest("orders", null, RefreshTrigger.INITIAL,
                TIMEOUT)));

        assertThat(server.isValid(response.accessToken().reveal())).isTrue();
        assertThat(server.tokenRequests()).singleElement().satisfies(seen -> {
            assertThat(seen.grantType()).isEqualTo("client_credentials");
            assertThat(seen.scope()).isEqualTo("orders.read");
            assertThat(seen.formFieldNames()).contains("audience");
        });
    }

    @Test
    @DisplayName("A 503 with Retry-After is a transient failure carrying the delay")
    void shouldMapUnavailabilityWithRetryAfter() {
        server.enqueue(ScriptedResponse.error(503, "temporarily_unavailable").withHeader("Retry-After", "7"));
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding("any")))))
                .cause()
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    @DisplayName("A 503 whose body breaks the parser's limits is still an outage with its status and Retry-After")
    void shouldMapUnavailabilityWhateverTheBody() {
        server.enqueue(ScriptedResponse.json(503, "{\"error\":" + "[".repeat(40) + "]".repeat(40) + "}")
                .withHeader("Retry-After", "7"));
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding("any")))))
                .cause()
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                });
    }

    @Test
    @DisplayName("A 429 without Retry-After is transient too")
    void shouldMapTooManyRequests() {
        server.enqueue(ScriptedResponse.body(429, "text/plain", "slow down"));
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding("any")))))
                .cause()
                .isInstanceOfSatisfying(TokenEndpointUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEmpty());
    }

    @Test
    @DisplayName("A connection closed mid-answer surfaces as an I/O failure, which the policy treats as transient")
    void shouldFailOnAConnectionClosedMidAnswer() {
        server.enqueue(ScriptedResponse.disconnectMidResponse());
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding("any")))))
                .hasRootCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    @DisplayName("A token endpoint that redirects is a protocol error, and the redirect is not followed")
    void shouldRefuseRedirects() {
        server.enqueue(ScriptedResponse.body(302, "text/plain", "").withHeader("Location", "https://elsewhere/"));
        RefreshTokenGrant grant = RefreshTokenGrant.builder(endpoint(basic())).build();

        assertThatThrownBy(() -> join(grant.requestTokens(request(holding("any")))))
                .cause()
                .isInstanceOf(TokenEndpointProtocolException.class)
                .hasMessageContaining("must not redirect");
    }

    @Test
    @DisplayName("readBounded reads one byte past the cap to detect an oversized body, even at the largest cap")
    void shouldReadOnePastTheCap() throws Exception {
        byte[] body = new byte[100];

        assertThat(TokenEndpointResponse.readBounded(new java.io.ByteArrayInputStream(body), 10)).hasSize(11);
        assertThat(TokenEndpointResponse.readBounded(new java.io.ByteArrayInputStream(body), Integer.MAX_VALUE))
                .hasSize(100);
        assertThatThrownBy(() -> TokenEndpointResponse.readBounded(new java.io.ByteArrayInputStream(body), -1))
                .hasMessage("maxBytes must not be negative, was -1");
    }

    @Test
    @DisplayName("The endpoint URI must be https, or http only to a loopback host")
    void shouldRefusePlainHttpToARemoteHost() {
        assertThatThrownBy(() -> TokenEndpoint.builder(URI.create("http://idp.example.com/token")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http");
        assertThatCode(() -> TokenEndpoint.builder(URI.create("https://idp.example.com/token")))
                .doesNotThrowAnyException();
        assertThatCode(() -> TokenEndpoint.builder(URI.create("http://127.0.0.1:8080/token")))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("Grants refuse parameters they set themselves and client_credentials refuses a public client")
    void shouldValidateGrantOptions() {
        assertThatThrownBy(() -> RefreshTokenGrant.builder(endpoint(basic())).parameter("grant_type", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'grant_type' is set by the grant");
        assertThatThrownBy(() -> ClientCredentialsGrant.builder(endpoint(ClientAuthentication.none("app"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a client secret");
        assertThatThrownBy(() -> RefreshTokenGrant.builder(endpoint(basic())).scopes(List.of("a b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whitespace");
    }
}
