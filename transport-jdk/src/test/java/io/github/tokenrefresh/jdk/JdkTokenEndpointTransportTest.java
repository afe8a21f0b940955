package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.testing.ClientAuthMethod;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.LoopbackTokenServer;
import io.github.tokenrefresh.testing.ScriptedResponse;
import io.github.tokenrefresh.testing.TokenFamily;
import io.github.tokenrefresh.testing.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transport alone, against the loopback token server: what it sends, what it reads, how it fails. */
class JdkTokenEndpointTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int CAP = 1024;

    private final LoopbackTokenServer tokens = LoopbackTokenServer.start();
    private final TokenFamily family = tokens.issueFamily();
    private final JdkTokenEndpointTransport transport = JdkTokenEndpointTransport.create();

    @AfterEach
    void tearDown() {
        tokens.close();
    }

    private TokenEndpointRequest refresh(URI uri, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        headers.put("Accept", "application/json");
        String credentials = LoopbackTokenServer.DEFAULT_CLIENT_ID + ":" + LoopbackTokenServer.DEFAULT_CLIENT_SECRET;
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                credentials.getBytes(StandardCharsets.UTF_8)));
        String form = "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(family.refreshToken(), StandardCharsets.UTF_8);
        return new TokenEndpointRequest(uri, headers, form.getBytes(StandardCharsets.UTF_8), timeout, CAP);
    }

    private static Throwable failureOf(CompletableFuture<TokenEndpointResponse> answer) {
        return assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .actual().getCause();
    }

    @Test
    @DisplayName("Posts the form with exactly the headers it was given, and returns status, headers and body")
    void shouldPostTheFormAsGiven() throws Exception {
        TokenEndpointResponse answer = transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)).get();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("content-type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"access_token\"");
        TokenRequest seen = tokens.tokenRequests().get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.clientAuthMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(seen.formFieldNames()).containsExactly("grant_type", "refresh_token");
        assertThat(seen.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
        assertThat(seen.header("Accept")).isEqualTo("application/json");
        assertThat(seen.headers().get("authorization")).containsExactly(TokenRequest.REDACTED);
        assertThat(seen.refreshTokenGeneration()).isZero();
    }

    @Test
    @DisplayName("An error status completes the stage normally: interpreting it is the core's job")
    void shouldReturnErrorAnswers() throws Exception {
        tokens.enqueue(ScriptedResponse.error(400, "invalid_grant").withHeader("X-Trace", "t-1"));

        TokenEndpointResponse answer = transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)).get();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("X-Trace")).contains("t-1");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("invalid_grant");
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("An oversized answer is read only to the cap plus one byte, with or without Content-Length")
    void shouldReadAtMostOneByteOverTheCap(boolean chunked) throws Exception {
        ScriptedResponse oversized = ScriptedResponse.oversizedJson(200_000);
        tokens.enqueue(chunked ? oversized.chunked() : oversized);

        TokenEndpointResponse answer = transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)).get();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasSize(CAP + 1);
        // The connection was dropped, not drained; the next exchange works all the same (the scripted answer
        // ran no grant, so the refresh token is still unused).
        assertThat(transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)).get().status()).isEqualTo(200);
    }

    @Test
    @DisplayName("A redirect is returned as it is, never followed: the form carries credentials")
    void shouldNeverFollowRedirects() throws Exception {
        try (LoopbackResourceServer moved = LoopbackResourceServer.startUnprotected()) {
            moved.redirect("/token", tokens.tokenEndpoint(), 307);

            TokenEndpointResponse answer = transport.send(refresh(moved.uri("/token"), TIMEOUT)).get();

            assertThat(answer.status()).isEqualTo(307);
            assertThat(answer.header("Location")).contains(tokens.tokenEndpoint().toString());
        }
        assertThat(tokens.requestCount()).isZero();
    }

    @Test
    @DisplayName("A connection closed in the middle of the answer fails the stage with an IOException")
    void shouldFailWhenTheConnectionClosesMidResponse() {
        tokens.enqueue(ScriptedResponse.disconnectMidResponse(), ScriptedResponse.disconnectBeforeResponse());

        assertThat(failureOf(transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)))).isInstanceOf(IOException.class);
        assertThat(failureOf(transport.send(refresh(tokens.tokenEndpoint(), TIMEOUT)))).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("No answer within the timeout: the stage fails with a TimeoutException that names the limit")
    void shouldTimeOutWithoutAnAnswer() {
        tokens.enqueue(ScriptedResponse.delayed(Duration.ofSeconds(30)));
        long start = System.nanoTime();

        Throwable failure = failureOf(transport.send(refresh(tokens.tokenEndpoint(), Duration.ofMillis(300))));

        assertThat(failure).isInstanceOf(TimeoutException.class).hasMessageContaining("PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    @DisplayName("A body that stalls after the status line still ends at the timeout, and the connection is dropped")
    void shouldTimeOutAStalledBodyAndHangUp() throws Exception {
        CountDownLatch hungUp = new CountDownLatch(1);
        try (LoopbackResourceServer trickle = LoopbackResourceServer.startUnprotected()) {
            trickle.route("/token", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("{\"access_token\":\"".getBytes(StandardCharsets.UTF_8));
                    for (int i = 0; i < 400; i++) {
                        out.flush();
                        Thread.sleep(25);
                        out.write('x');
                    }
                } catch (IOException e) {
                    hungUp.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();

            Throwable failure = failureOf(transport.send(refresh(trickle.uri("/token"), Duration.ofMillis(500))));

            assertThat(failure).isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(hungUp.await(5, TimeUnit.SECONDS)).as("the server saw the client hang up").isTrue();
        }
    }

    @Test
    @DisplayName("A header the JDK refuses fails the stage instead of throwing")
    void shouldFailOnARestrictedHeader() {
        TokenEndpointRequest request = new TokenEndpointRequest(tokens.tokenEndpoint(),
                Map.of("Host", "elsewhere.example"), new byte[0], TIMEOUT, CAP);

        assertThat(failureOf(transport.send(request))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Host");
        assertThat(tokens.requestCount()).isZero();
    }

    @Test
    @DisplayName("The builder refuses a client that follows redirects or adds credentials, and odd timeouts")
    void shouldValidateTheBuilder() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpClient authenticating = HttpClient.newBuilder().authenticator(new Authenticator() { }).build();
        HttpClient plain = HttpClient.newHttpClient();

        assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().client(following))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client follows redirects (NORMAL)");
        assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().client(authenticating))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authenticator");
        assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().client(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
        assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().client(plain)
                .connectTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connectTimeout");
        assertThat(JdkTokenEndpointTransport.builder().client(plain).build().client()).isSameAs(plain);
        assertThat(JdkTokenEndpointTransport.builder().connectTimeout(Duration.ofSeconds(2)).build().client()
                .connectTimeout()).contains(Duration.ofSeconds(2));
        assertThat(transport.client().connectTimeout()).contains(JdkTokenEndpointTransport.DEFAULT_CONNECT_TIMEOUT);
        assertThat(transport.client().followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    }

    @Test
    @DisplayName("The builder refuses a decorated client, which would send the bearer token instead of the client's")
    void shouldRefuseATokenRefreshingClient() {
        try (TokenRefreshPolicy policy = TokenRefreshPolicy.of("orders",
                TokenRefreshConfig.custom().allowedOrigin(tokens.tokenEndpoint()).build(),
                request -> new CompletableFuture<>())) {
            TokenRefreshHttpClient decorated = TokenRefreshHttpClient.decorate(HttpClient.newHttpClient(), policy);

            assertThatThrownBy(() -> JdkTokenEndpointTransport.builder().client(decorated))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("TokenRefreshHttpClient")
                    .hasMessageContaining("delegate()");
            assertThat(JdkTokenEndpointTransport.builder().client(decorated.delegate()).build().client())
                    .isSameAs(decorated.delegate());
        }
    }
}
