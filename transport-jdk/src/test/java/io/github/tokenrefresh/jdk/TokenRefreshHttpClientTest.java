package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.testing.LoopbackResourceServer;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.Authenticator;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TokenRefreshHttpClientTest {

    private final LoopbackApi fixture = new LoopbackApi();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    @DisplayName("A request to an allowed origin carries the policy's token, replacing the caller's Authorization")
    void shouldAttachTheTokenToAllowedOrigins() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        HttpRequest request = HttpRequest.newBuilder(fixture.api.uri("/orders"))
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .header("X-Request-Id", "42")
                .build();

        HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = fixture.api.requests("/orders").get(0);
        assertThat(seen.bearerToken()).isEqualTo(fixture.family.accessToken());
        assertThat(seen.headers().get("authorization")).hasSize(1);
        assertThat(seen.header("X-Request-Id")).isEqualTo("42");
        assertThat(fixture.tokens.requestCount()).isZero();
    }

    @Test
    @DisplayName("A request to any other origin reaches the delegate untouched, without consulting the policy")
    void shouldPassOtherOriginsThrough() throws Exception {
        TokenRefreshPolicy policy = fixture.policy();
        HttpClient client = fixture.client(policy);
        try (LoopbackResourceServer other = LoopbackResourceServer.startUnprotected()) {
            HttpRequest anonymous = LoopbackApi.get(other.uri("/anonymous"));
            HttpRequest ownCredentials = HttpRequest.newBuilder(other.uri("/own"))
                    .header("Authorization", "Basic dXNlcjpwYXNz")
                    .build();

            assertThat(client.send(anonymous, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(client.sendAsync(ownCredentials, BodyHandlers.ofString()).join().statusCode()).isEqualTo(200);

            assertThat(other.requests("/anonymous").get(0).hasAuthorization()).isFalse();
            assertThat(other.requests("/own").get(0).header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
        }
        assertThat(policy.getMetrics().getNumberOfSuccessfulCallsWithoutRefresh()).isZero();
    }

    @Test
    @DisplayName("The token never travels over plain http to the https origin that is allowed")
    void shouldNotSendTheTokenOverPlainHttpToAnHttpsOrigin() throws Exception {
        try (LoopbackResourceServer plain = LoopbackResourceServer.startUnprotected()) {
            URI https = URI.create("https://localhost:" + plain.baseUri().getPort());
            TokenRefreshPolicy policy = fixture.policy(fixture.config().allowedOrigin(https).build());
            HttpClient client = fixture.client(policy);
            URI sameHostPlainHttp = URI.create("http://localhost:" + plain.baseUri().getPort() + "/plain");

            assertThat(client.send(LoopbackApi.get(sameHostPlainHttp), BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            assertThat(plain.requests("/plain")).singleElement()
                    .satisfies(seen -> assertThat(seen.hasAuthorization()).isFalse());
        }
    }

    @Test
    @DisplayName("The token never travels in the clear to a proxy off this host, even for an allowed loopback origin")
    void shouldNotSendTheTokenThroughAPlainHttpProxyOffThisHost() throws Exception {
        try (LoopbackResourceServer remoteProxy = LoopbackResourceServer.startUnprotected();
                LoopbackResourceServer localProxy = LoopbackResourceServer.startUnprotected()) {
            TokenRefreshPolicy policy = fixture.policy();
            // A proxy known by a name that is not loopback; the address only lets the test reach it on this host.
            InetSocketAddress remote = new InetSocketAddress(InetAddress.getByAddress("proxy.example",
                    new byte[] {127, 0, 0, 1}), remoteProxy.baseUri().getPort());
            InetSocketAddress local = new InetSocketAddress("127.0.0.1", localProxy.baseUri().getPort());
            HttpClient viaRemote = TokenRefreshHttpClient.decorate(
                    HttpClient.newBuilder().proxy(ProxySelector.of(remote)).build(), policy);
            HttpClient viaLocal = TokenRefreshHttpClient.decorate(
                    HttpClient.newBuilder().proxy(ProxySelector.of(local)).build(), policy);

            assertThat(viaRemote.send(fixture.get("/sync"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(viaRemote.sendAsync(fixture.get("/async"), BodyHandlers.ofString()).join().statusCode())
                    .isEqualTo(200);
            assertThat(viaLocal.send(fixture.get("/local"), BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            assertThat(remoteProxy.requests()).hasSize(2)
                    .allSatisfy(seen -> assertThat(seen.hasAuthorization()).isFalse());
            assertThat(localProxy.requests()).singleElement()
                    .satisfies(seen -> assertThat(seen.bearerToken()).isEqualTo(fixture.family.accessToken()));
        }
    }

    @Test
    @DisplayName("send and both sendAsync variants attach the token and return the answer")
    void shouldAttachTheTokenOnEverySendVariant() throws Exception {
        HttpClient client = fixture.client(fixture.policy());

        HttpResponse<String> sync = client.send(fixture.get("/sync"), BodyHandlers.ofString());
        HttpResponse<String> async = client.sendAsync(fixture.get("/async"), BodyHandlers.ofString()).join();
        HttpResponse<String> push = client.sendAsync(fixture.get("/push"), BodyHandlers.ofString(),
                HttpResponse.PushPromiseHandler.of(request -> BodyHandlers.ofString(), new ConcurrentHashMap<>()))
                .join();

        assertThat(List.of(sync, async, push)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"path\":\"" + response.uri().getPath() + "\"");
        });
        assertThat(fixture.api.requests()).hasSize(3)
                .allSatisfy(seen -> assertThat(seen.bearerToken()).isEqualTo(fixture.family.accessToken()));
    }

    @Test
    @DisplayName("The caller's response shows the caller's request, never the token header")
    void shouldNotExposeTheTokenThroughTheResponse() throws Exception {
        HttpClient client = fixture.client(fixture.policy());
        HttpRequest request = fixture.get("/orders");

        HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
        HttpResponse<String> async = client.sendAsync(request, BodyHandlers.ofString()).join();

        assertThat(List.of(response, async)).allSatisfy(each -> {
            assertThat(each.request()).isSameAs(request);
            assertThat(each.request().headers().firstValue("Authorization")).isEmpty();
            assertThat(each.toString()).doesNotContain(fixture.family.accessToken()).contains("/orders", "200");
            assertThat(each.previousResponse()).isEmpty();
            assertThat(each.version()).isNotNull();
            assertThat(each.sslSession()).isEmpty();
        });
    }

    @Test
    @DisplayName("On Java 25 and later the response reports the delegate's connection label, redirects and all")
    void shouldReportTheDelegatesConnectionLabel() throws Exception {
        Method connectionLabel = connectionLabelMethod();
        assumeTrue(connectionLabel != null, "HttpResponse.connectionLabel() arrived in Java 25");
        fixture.api.redirect("/moved", fixture.api.uri("/orders"), 302);
        TokenRefreshHttpClient client = TokenRefreshHttpClient.builder(fixture.policy())
                .delegate(fixture.jdk)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();

        HttpResponse<String> response = client.send(fixture.get("/moved"), BodyHandlers.ofString());
        HttpResponse<String> plain = fixture.jdk.send(fixture.get("/orders"), BodyHandlers.ofString());

        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat((Optional<?>) connectionLabel.invoke(plain)).isNotEmpty();
        assertThat((Optional<?>) connectionLabel.invoke(response)).isNotEmpty();
        assertThat((Optional<?>) connectionLabel.invoke(response.previousResponse().orElseThrow())).isNotEmpty();
    }

    private static Method connectionLabelMethod() {
        try {
            return HttpResponse.class.getMethod("connectionLabel");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @Test
    @DisplayName("Any body handler works: bytes, lines, an input stream, a publisher, a discarding handler")
    void shouldWorkWithAnyBodyHandler() throws Exception {
        HttpClient client = fixture.client(fixture.policy());
        HttpRequest request = fixture.get("/any");

        byte[] bytes = client.send(request, BodyHandlers.ofByteArray()).body();
        List<String> lines = client.send(request, BodyHandlers.ofLines()).body().collect(Collectors.toList());
        String streamed;
        try (InputStream in = client.send(request, BodyHandlers.ofInputStream()).body()) {
            streamed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponse<Void> discarded = client.send(request, BodyHandlers.discarding());
        String mapped = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body).join();

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"path\":\"/any\"");
        assertThat(lines).singleElement().asString().contains("\"path\":\"/any\"");
        assertThat(streamed).contains("\"path\":\"/any\"");
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(discarded.body()).isNull();
        assertThat(mapped).contains("\"path\":\"/any\"");
        assertThat(fixture.api.okCount()).isEqualTo(5);
    }

    @Test
    @DisplayName("Every getter answers what the delegate answers; followRedirects is the decorator's own")
    void shouldAnswerGettersLikeTheDelegate() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CookieManager cookies = new CookieManager();
            Authenticator authenticator = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return null;
                }
            };
            ProxySelector proxy = ProxySelector.of(new InetSocketAddress("127.0.0.1", 3128));
            HttpClient delegate = HttpClient.newBuilder()
                    .cookieHandler(cookies)
                    .connectTimeout(Duration.ofSeconds(3))
                    .proxy(proxy)
                    .sslContext(SSLContext.getDefault())
                    .authenticator(authenticator)
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(executor)
                    .build();

            TokenRefreshHttpClient client = TokenRefreshHttpClient.builder(fixture.policy())
                    .delegate(delegate)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .maxRedirects(3)
                    .build();

            assertThat(client.cookieHandler()).containsSame(cookies);
            assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
            assertThat(client.proxy()).containsSame(proxy);
            assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
            assertThat(client.sslParameters().getProtocols()).isEqualTo(delegate.sslParameters().getProtocols());
            assertThat(client.authenticator()).containsSame(authenticator);
            assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(client.executor()).containsSame(executor);
            assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
            assertThat(client.maxRedirects()).isEqualTo(3);
            assertThat(client.delegate()).isSameAs(delegate);
            assertThat(client.policy().getName()).isEqualTo(LoopbackApi.POLICY);
            assertThat(client.newWebSocketBuilder()).isNotNull();
            assertThat(client.toString()).contains(LoopbackApi.POLICY, "NORMAL");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @DisplayName("A delegate that follows redirects itself is refused, with a message that says what to do")
    void shouldRefuseADelegateThatFollowsRedirects() {
        TokenRefreshPolicy policy = fixture.policy();
        for (HttpClient.Redirect redirect : List.of(HttpClient.Redirect.NORMAL, HttpClient.Redirect.ALWAYS)) {
            HttpClient following = HttpClient.newBuilder().followRedirects(redirect).build();

            assertThatThrownBy(() -> TokenRefreshHttpClient.decorate(following, policy))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("delegate follows redirects (" + redirect + ")")
                    .hasMessageContaining("Redirect.NEVER");
        }
    }

    @Test
    @DisplayName("The builder checks each option as it is given")
    void shouldValidateBuilderOptions() {
        TokenRefreshPolicy policy = fixture.policy();

        assertThatThrownBy(() -> TokenRefreshHttpClient.builder(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("policy");
        assertThatThrownBy(() -> TokenRefreshHttpClient.builder(policy).delegate(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("delegate");
        assertThatThrownBy(() -> TokenRefreshHttpClient.builder(policy).followRedirects(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("followRedirects");
        assertThatThrownBy(() -> TokenRefreshHttpClient.builder(policy).maxRedirects(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRedirects must be within [1, 20], was 0");
        assertThatThrownBy(() -> TokenRefreshHttpClient.builder(policy).maxRedirects(21))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 21");
        assertThat(TokenRefreshHttpClient.builder(policy).build().delegate().followRedirects())
                .isEqualTo(HttpClient.Redirect.NEVER);
    }

    @Test
    @DisplayName("A thread interrupted before sending gets InterruptedException, like the JDK client")
    void shouldThrowInterruptedExceptionWhenInterrupted() {
        HttpClient client = fixture.client(fixture.policy());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> client.send(fixture.get("/interrupted"), BodyHandlers.ofString()))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
