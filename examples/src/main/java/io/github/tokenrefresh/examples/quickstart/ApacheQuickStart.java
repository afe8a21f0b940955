package io.github.tokenrefresh.examples.quickstart;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.apache.TokenRefreshAsyncExecChainHandler;
import io.github.tokenrefresh.apache.TokenRefreshExecChainHandler;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Quick start for Apache HttpClient 5: the same policy installed on a classic and on an async client.
 */
public final class ApacheQuickStart {

    private ApacheQuickStart() {
    }

    /**
     * Builds a classic client that attaches and renews the policy's token on every hop and retry.
     *
     * @param policy the policy
     * @return the client
     */
    public static CloseableHttpClient classicClient(TokenRefreshPolicy policy) {
        return TokenRefreshExecChainHandler.install(HttpClients.custom(), policy).build();
    }

    /**
     * Builds and starts an async client; a refresh never blocks its I/O threads.
     *
     * @param policy the policy
     * @return the started client
     */
    public static CloseableHttpAsyncClient asyncClient(TokenRefreshPolicy policy) {
        CloseableHttpAsyncClient client =
                TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(), policy).build();
        client.start();
        return client;
    }

    /**
     * Calls the API with the classic client.
     *
     * @param client the client
     * @param api the resource
     * @return the response body
     * @throws IOException when the call fails
     */
    public static String getOrders(CloseableHttpClient client, URI api) throws IOException {
        return client.execute(new HttpGet(api), response -> EntityUtils.toString(response.getEntity()));
    }

    /**
     * Calls the API with the async client.
     *
     * @param client the client
     * @param api the resource
     * @return the response body, when it arrives
     */
    public static CompletableFuture<String> getOrdersAsync(CloseableHttpAsyncClient client, URI api) {
        CompletableFuture<String> body = new CompletableFuture<>();
        Future<SimpleHttpResponse> call = client.execute(SimpleRequestBuilder.get(api).build(),
                new org.apache.hc.core5.concurrent.FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        body.complete(response.getBodyText());
                    }

                    @Override
                    public void failed(Exception failure) {
                        body.completeExceptionally(failure);
                    }

                    @Override
                    public void cancelled() {
                        body.cancel(false);
                    }
                });
        body.whenComplete((text, failure) -> {
            if (body.isCancelled()) {
                call.cancel(true);
            }
        });
        return body;
    }
}
