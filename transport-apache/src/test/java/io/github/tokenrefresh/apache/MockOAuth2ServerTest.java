package io.github.tokenrefresh.apache;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenGrant;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.oauth2.ClientAuthentication;
import io.github.tokenrefresh.oauth2.ClientCredentialsGrant;
import io.github.tokenrefresh.oauth2.RefreshTokenGrant;
import io.github.tokenrefresh.oauth2.TokenEndpoint;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transports and handlers against a real OAuth2 server, NAV's mock-oauth2-server: it issues signed JWTs, and an
 * API on loopback checks their signature against the server's published keys, the issuer and the expiry, and
 * rejects tokens the test revokes, as a resource server would after a revocation.
 */
class MockOAuth2ServerTest {

    private static final String ISSUER = "default";
    private static final String CLIENT_ID = "orders-service";
    private static final String CLIENT_SECRET = "orders-secret";

    private final MockOAuth2Server oauth2 = new MockOAuth2Server();
    private final LoopbackResourceServer api = LoopbackResourceServer.startUnprotected();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final CloseableHttpClient classic = HttpClients.createDefault();
    private final CloseableHttpAsyncClient async = HttpAsyncClients.createDefault();
    private volatile JWKSet keys;

    MockOAuth2ServerTest() {
        oauth2.start(InetAddress.getLoopbackAddress(), 0);
        async.start();
        api.route("/me", this::answerWithSubject);
    }

    @AfterEach
    void tearDown() throws IOException {
        classic.close();
        async.close();
        api.close();
        oauth2.shutdown();
    }

    /** 200 with the token's subject for a valid JWT from the mock server; 401 invalid_token otherwise. */
    private void answerWithSubject(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String subject = authorization == null ? null : subjectOf(authorization.substring("Bearer ".length()));
        byte[] body = (subject == null ? "rejected" : subject).getBytes(StandardCharsets.UTF_8);
        if (subject == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        exchange.sendResponseHeaders(subject == null ? 401 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String subjectOf(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            RSAKey key = (RSAKey) keys().getKeyByKeyId(jwt.getHeader().getKeyID());
            JWSVerifier verifier = new RSASSAVerifier(key);
            boolean valid = jwt.verify(verifier)
                    && oauth2.issuerUrl(ISSUER).toString().equals(jwt.getJWTClaimsSet().getIssuer())
                    && jwt.getJWTClaimsSet().getExpirationTime().after(new Date())
                    && !revoked.contains(token);
            return valid ? jwt.getJWTClaimsSet().getSubject() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private JWKSet keys() throws IOException {
        if (keys == null) {
            try {
                String json = classic.execute(new HttpGet(oauth2.jwksUrl(ISSUER).uri()),
                        response -> EntityUtils.toString(response.getEntity()));
                keys = JWKSet.parse(json);
            } catch (java.text.ParseException e) {
                throw new IOException(e);
            }
        }
        return keys;
    }

    private TokenEndpoint endpoint(TokenEndpointTransport transport) {
        return TokenEndpoint.builder(oauth2.tokenEndpointUrl(ISSUER).uri())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(CLIENT_ID, Secret.of(CLIENT_SECRET)))
                .transport(transport)
                .build();
    }

    private TokenRefreshPolicy policy(TokenGrant grant) {
        return TokenRefreshPolicy.of("orders", TokenRefreshConfig.custom().allowedOrigin(api.baseUri()).build(),
                grant);
    }

    private RecordedRequestView takeRequest() throws InterruptedException {
        okhttp3.mockwebserver.RecordedRequest request = oauth2.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the OAuth2 server").isNotNull();
        return new RecordedRequestView(request.getPath(), request.getHeader("Authorization"),
                request.getBody().readUtf8());
    }

    private record RecordedRequestView(String path, String authorization, String form) {
    }

    @Test
    @DisplayName("client_credentials over the classic transport: a JWT the API accepts, and a new one after revocation")
    void shouldUseClientCredentialsThroughTheClassicStack() throws Exception {
        TokenRefreshPolicy policy = policy(ClientCredentialsGrant.builder(endpoint(
                ApacheTokenEndpointTransport.of(classic))).build());
        try (CloseableHttpClient client = TokenRefreshExecChainHandler.install(HttpClients.custom(), policy)
                .build()) {

            String first = client.execute(new HttpGet(api.uri("/me")), r -> EntityUtils.toString(r.getEntity()));
            revoked.add(LoopbackApi.currentToken(policy));
            String second = client.execute(new HttpGet(api.uri("/me")), r -> EntityUtils.toString(r.getEntity()));

            assertThat(first).isEqualTo(CLIENT_ID);
            assertThat(second).isEqualTo(CLIENT_ID);
        } finally {
            policy.close();
        }
        assertThat(api.requests("/me")).extracting(RecordedRequest::status).containsExactly(200, 401, 200);
        assertThat(api.requests("/me").get(2).bearerToken()).isNotEqualTo(api.requests("/me").get(1).bearerToken());
        for (int i = 0; i < 2; i++) {
            RecordedRequestView tokenRequest = nextTokenEndpointRequest();
            assertThat(tokenRequest.form()).contains("grant_type=client_credentials");
            assertThat(tokenRequest.authorization()).startsWith("Basic ");
        }
    }

    @Test
    @DisplayName("refresh_token over the async transport: the policy renews a user's login after a revocation")
    void shouldRefreshThroughTheAsyncStack() throws Exception {
        String refreshToken = logIn();
        TokenRefreshPolicy policy = policy(RefreshTokenGrant.builder(endpoint(
                ApacheAsyncTokenEndpointTransport.of(async))).initialRefreshToken(Secret.of(refreshToken)).build());
        try (CloseableHttpAsyncClient client = TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(),
                policy).build()) {
            client.start();

            SimpleHttpResponse first = client.execute(SimpleRequestBuilder.get(api.uri("/me")).build(), null)
                    .get(10, TimeUnit.SECONDS);
            revoked.add(LoopbackApi.currentToken(policy));
            SimpleHttpResponse second = client.execute(SimpleRequestBuilder.get(api.uri("/me")).build(), null)
                    .get(10, TimeUnit.SECONDS);

            assertThat(first.getCode()).isEqualTo(200);
            assertThat(second.getCode()).isEqualTo(200);
            assertThat(second.getBodyText()).isEqualTo(first.getBodyText()).isNotBlank();
        } finally {
            policy.close();
        }
        assertThat(api.requests("/me")).extracting(RecordedRequest::status).containsExactly(200, 401, 200);
        for (int i = 0; i < 2; i++) {
            assertThat(nextTokenEndpointRequest().form()).contains("grant_type=refresh_token");
        }
    }

    /**
     * Signs a user in with the authorization code flow, as an application's login would (the mock server approves
     * at once), and returns the refresh token the login produced.
     */
    private String logIn() throws Exception {
        String redirect = "http://127.0.0.1/callback";
        URI authorize = URI.create(oauth2.authorizationEndpointUrl(ISSUER) + "?client_id=" + CLIENT_ID
                + "&response_type=code&scope=openid&state=s1&redirect_uri=" + redirect);
        String location;
        try (CloseableHttpClient browser = HttpClients.custom().disableRedirectHandling().build()) {
            location = browser.execute(new HttpGet(authorize), response -> response.getFirstHeader("Location")
                    .getValue());
        }
        String code = location.replaceFirst(".*[?&]code=([^&]+).*", "$1");
        HttpPost post = new HttpPost(oauth2.tokenEndpointUrl(ISSUER).uri());
        post.setEntity(new UrlEncodedFormEntity(List.of(
                new BasicNameValuePair("grant_type", "authorization_code"),
                new BasicNameValuePair("code", code),
                new BasicNameValuePair("redirect_uri", redirect),
                new BasicNameValuePair("client_id", CLIENT_ID),
                new BasicNameValuePair("client_secret", CLIENT_SECRET))));
        String json = classic.execute(post, response -> EntityUtils.toString(response.getEntity()));
        Object refreshToken = com.nimbusds.jose.util.JSONObjectUtils.parse(json).get("refresh_token");
        assertThat(refreshToken).as("the login's refresh token").isInstanceOf(String.class);
        assertThat(nextTokenEndpointRequest().form()).contains("grant_type=authorization_code");
        return (String) refreshToken;
    }

    /** The next request to the token endpoint, skipping the login's authorization and the API's key fetch. */
    private RecordedRequestView nextTokenEndpointRequest() throws InterruptedException {
        RecordedRequestView request = takeRequest();
        while (!URI.create(request.path()).getPath().endsWith("/token")) {
            request = takeRequest();
        }
        return request;
    }
}
