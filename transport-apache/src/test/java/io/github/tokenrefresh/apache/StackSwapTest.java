package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.TokenRefreshHttpClient;
import io.github.tokenrefresh.testing.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * One policy shared by the JDK decorator and both Apache clients: a token refreshed on behalf of one stack is the
 * token the others send, and a rejection seen by two stacks at once is one refresh.
 */
class StackSwapTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LoopbackApi world = LoopbackApi.start();
    private final TokenRefreshPolicy policy = world.policy();
    private final TokenRefreshHttpClient jdk = world.closeLater(
            TokenRefreshHttpClient.decorate(HttpClient.newHttpClient(), policy));
    private final CloseableHttpClient classic = world.closeLater(
            TokenRefreshExecChainHandler.install(HttpClients.custom(), policy).build());
    private final CloseableHttpAsyncClient async = world.closeLater(
            TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(), policy).build());

    StackSwapTest() {
        async.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
    }

    private int viaJdk(String path) throws Exception {
        return jdk.send(HttpRequest.newBuilder(world.api.uri(path)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private int viaClassic(String path) throws Exception {
        return classic.execute(new HttpGet(world.api.uri(path)), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private int viaAsync(String path) throws Exception {
        return async.execute(SimpleRequestBuilder.get(world.api.uri(path)).build(), null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode();
    }

    @Test
    @DisplayName("A refresh on a rejection seen by the JDK client is the token both Apache clients send next")
    void shouldShareARefreshTriggeredThroughTheJdkClient() throws Exception {
        assertThat(viaJdk("/warm-up")).isEqualTo(200);
        String rejected = LoopbackApi.currentToken(policy);
        world.tokens.revoke(rejected);

        assertThat(viaJdk("/jdk")).isEqualTo(200);
        assertThat(viaClassic("/classic")).isEqualTo(200);
        assertThat(viaAsync("/async")).isEqualTo(200);

        String refreshed = LoopbackApi.currentToken(policy);
        assertThat(world.api.requests("/jdk")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(401, rejected), tuple(200, refreshed));
        assertThat(world.api.requests("/classic")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(200, refreshed));
        assertThat(world.api.requests("/async")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(200, refreshed));
        assertThat(world.tokens.requestCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("A refresh on a rejection seen by an Apache client is the token the JDK client sends next")
    void shouldShareARefreshTriggeredThroughAnApacheClient() throws Exception {
        assertThat(viaClassic("/warm-up")).isEqualTo(200);
        String rejected = LoopbackApi.currentToken(policy);
        world.tokens.revoke(rejected);

        assertThat(viaClassic("/classic")).isEqualTo(200);
        assertThat(viaJdk("/jdk")).isEqualTo(200);

        String refreshed = LoopbackApi.currentToken(policy);
        assertThat(world.api.requests("/classic")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(401, rejected), tuple(200, refreshed));
        assertThat(world.api.requests("/jdk")).extracting(RecordedRequest::status, RecordedRequest::bearerToken)
                .containsExactly(tuple(200, refreshed));
        assertThat(world.tokens.requestCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("Rejections of the same token seen by the JDK and the Apache client at once share one refresh")
    void shouldShareOneRefreshBetweenConcurrentRejections() throws Exception {
        assertThat(viaAsync("/warm-up")).isEqualTo(200);
        world.tokens.revoke(LoopbackApi.currentToken(policy));
        world.tokens.holdResponses();
        long coalescedBefore = policy.getMetrics().getNumberOfCoalescedCallers();

        Future<SimpleHttpResponse> apache = async.execute(
                SimpleRequestBuilder.get(world.api.uri("/async")).build(), null);
        assertThat(world.tokens.awaitHeldResponses(1, WAIT)).isTrue();
        CompletableFuture<HttpResponse<String>> fromJdk = jdk.sendAsync(
                HttpRequest.newBuilder(world.api.uri("/jdk")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> policy.getMetrics().getNumberOfCoalescedCallers() > coalescedBefore);
        world.tokens.releaseResponses();

        assertThat(apache.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(200);
        assertThat(fromJdk.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(world.api.requests("/async")).extracting(RecordedRequest::status).containsExactly(401, 200);
        assertThat(world.api.requests("/jdk")).extracting(RecordedRequest::status).containsExactly(401, 200);
        assertThat(world.tokens.requestCount()).isEqualTo(2);
        assertThat(world.tokens.reuseDetections()).isZero();
    }
}
