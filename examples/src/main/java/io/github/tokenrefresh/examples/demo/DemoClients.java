package io.github.tokenrefresh.examples.demo;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.Retry;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.apache.TokenRefreshAsyncExecChainHandler;
import io.github.tokenrefresh.apache.TokenRefreshExecChainHandler;
import io.github.tokenrefresh.jdk.TokenRefreshHttpClient;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The three clients the demo's callers use, all bound to one {@link TokenRefreshPolicy}: the JDK client decorated by
 * {@link TokenRefreshHttpClient}, Apache's classic client with {@link TokenRefreshExecChainHandler} and its async
 * client with {@link TokenRefreshAsyncExecChainHandler}. Every call runs as
 * {@code Retry( CircuitBreaker( client with the token policy inside ) )}: the token policy innermost, so one retry
 * attempt covers a refresh and a replay.
 *
 * <p>HttpClient's own retries are off, so that the Resilience4j Retry is the only one and its counts are the whole
 * story. Thread-safe.
 */
final class DemoClients implements AutoCloseable {

    /** One kind of client, named as the {@code client} tag of the demo's request counter. */
    enum Client {
        /** {@link TokenRefreshHttpClient} around the JDK client. */
        JDK("jdk"),
        /** Apache's classic client with {@link TokenRefreshExecChainHandler}. */
        APACHE_CLASSIC("apache-classic"),
        /** Apache's async client with {@link TokenRefreshAsyncExecChainHandler}. */
        APACHE_ASYNC("apache-async");

        private final String tag;

        Client(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    /** Longest a single request may take: far beyond a loopback answer, short enough to end a run promptly. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI resource;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;
    private final HttpRequest jdkRequest;
    private final TokenRefreshHttpClient jdk;
    private final CloseableHttpClient classic;
    private final CloseableHttpAsyncClient async;

    DemoClients(TokenRefreshPolicy policy, URI resource, int connections, Retry retry, CircuitBreaker breaker,
            ScheduledExecutorService scheduler) {
        this.resource = resource;
        this.retry = retry;
        this.breaker = breaker;
        this.scheduler = scheduler;

        this.jdkRequest = HttpRequest.newBuilder(resource).timeout(REQUEST_TIMEOUT).GET().build();
        this.jdk = TokenRefreshHttpClient.decorate(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build(), policy);

        RequestConfig requests = RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(REQUEST_TIMEOUT))
                .setResponseTimeout(Timeout.of(REQUEST_TIMEOUT))
                .build();
        this.classic = TokenRefreshExecChainHandler.install(HttpClients.custom(), policy)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections)
                        .build())
                .setDefaultRequestConfig(requests)
                .disableAutomaticRetries()
                .build();
        this.async = TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(), policy)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections)
                        .build())
                .setDefaultRequestConfig(requests)
                .disableAutomaticRetries()
                .build();
        async.start();
    }

    /**
     * Makes one call through {@code client}, with the retry and the breaker around it.
     *
     * @return the HTTP status of the last attempt
     * @throws Exception the last attempt's failure: an I/O error, a token failure, or the breaker's refusal
     */
    int call(Client client) throws Exception {
        switch (client) {
            case JDK:
                return Decorators.ofCallable(() -> jdk.send(jdkRequest, BodyHandlers.discarding()).statusCode())
                        .withCircuitBreaker(breaker)
                        .withRetry(retry)
                        .call();
            case APACHE_CLASSIC:
                return Decorators.ofCallable(this::classicGet)
                        .withCircuitBreaker(breaker)
                        .withRetry(retry)
                        .call();
            default:
                CompletionStage<Integer> stage = Decorators.ofCompletionStage(this::asyncGet)
                        .withCircuitBreaker(breaker)
                        .withRetry(retry, scheduler)
                        .get();
                return awaitStatus(stage);
        }
    }

    private int classicGet() throws IOException {
        return classic.execute(new HttpGet(resource), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private CompletionStage<Integer> asyncGet() {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        async.execute(SimpleRequestBuilder.get(resource).build(), new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                status.complete(response.getCode());
            }

            @Override
            public void failed(Exception failure) {
                status.completeExceptionally(failure);
            }

            @Override
            public void cancelled() {
                status.cancel(false);
            }
        });
        return status;
    }

    // The caller thread waits, as the other clients' callers do; retries still wait on the scheduler, not here.
    private static int awaitStatus(CompletionStage<Integer> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(REQUEST_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : e;
        }
    }

    @Override
    public void close() throws IOException {
        jdk.close();
        classic.close(CloseMode.GRACEFUL);
        async.close(CloseMode.GRACEFUL);
    }
}
