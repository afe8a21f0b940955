package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.apache.internal.OneShotBodies;
import io.github.tokenrefresh.apache.internal.TokenRequests;
import io.github.tokenrefresh.apache.internal.TransportThreads;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.Closer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The core's {@link TokenEndpointTransport} over a classic (blocking) Apache HttpClient 5: posts the token request
 * the core built and reads the answer, on an executor thread so the caller is never blocked.
 *
 * <p>Every exchange runs under the request's {@link TokenEndpointRequest#timeout() timeout}: when it has not
 * finished in time the returned stage fails with a {@link java.util.concurrent.TimeoutException} and the request is
 * aborted, which closes its connection and frees the executor thread; HttpClient's connection-lease and read
 * timeouts stand just beyond it. Per request the transport switches off what HttpClient would otherwise add: redirects,
 * its own authentication and auth cache, cookies and content compression. The body is offered as one-shot, so
 * HttpClient's retry strategy never sends a token request twice (a resend could present a refresh token the server
 * has already rotated; retrying is the policy's job, with its backoff). At most {@code maxResponseBytes + 1} body
 * bytes are read; an answer longer than that is cut off and its connection closed rather than drained.
 *
 * <p>The client may be the one the application calls its APIs with, {@link TokenRefreshExecChainHandler} installed
 * and all: the handler recognises this transport's requests and passes them through untouched, even when the token
 * endpoint shares an allowed origin (and a connection pool) with the API. The transport does not close the client.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ApacheTokenEndpointTransport implements TokenEndpointTransport {

    private final HttpClient client;
    private final Executor executor;

    private ApacheTokenEndpointTransport(HttpClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    /**
     * Creates a transport that runs its exchanges on a shared pool of daemon threads.
     *
     * @param client the client, for example from {@code HttpClients.custom()...build()}
     * @return the transport
     * @throws NullPointerException if {@code client} is null
     */
    public static ApacheTokenEndpointTransport of(HttpClient client) {
        return of(client, TransportThreads.exchanges());
    }

    /**
     * Creates a transport that runs its exchanges on {@code executor}. Each exchange occupies one of its threads
     * until the answer has been read or the timeout has aborted it.
     *
     * @param client the client
     * @param executor runs the blocking exchanges; must not run them on the calling thread
     * @return the transport
     * @throws NullPointerException if an argument is null
     */
    public static ApacheTokenEndpointTransport of(HttpClient client, Executor executor) {
        return new ApacheTokenEndpointTransport(Objects.requireNonNull(client, "client must not be null"),
                Objects.requireNonNull(executor, "executor must not be null"));
    }

    /**
     * Sends the request and returns at once.
     *
     * @param request the token request
     * @return a stage completing with the answer, whatever its status; exceptionally with an {@link IOException}
     *         when the exchange fails, a {@link java.util.concurrent.TimeoutException} when it runs out of time,
     *         or a {@link RejectedExecutionException} when the executor refuses it
     */
    @Override
    public CompletionStage<TokenEndpointResponse> send(TokenEndpointRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        HttpPost post = new HttpPost(request.uri());
        request.headers().forEach(post::addHeader);
        post.setEntity(OneShotBodies.classic(request.body()));
        HttpClientContext context = TokenRequests.context(request);

        CompletableFuture<TokenEndpointResponse> result = new CompletableFuture<>();
        ScheduledFuture<?> deadline = TransportThreads.deadlines().schedule(() -> {
            if (result.completeExceptionally(TokenRequests.timedOut(request))) {
                // Aborting closes the connection, so a thread blocked reading it is released.
                post.cancel();
            }
        }, request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((response, failure) -> deadline.cancel(false));

        try {
            executor.execute(() -> exchange(post, context, request.maxResponseBytes(), result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void exchange(HttpPost post, HttpClientContext context, int maxBytes,
            CompletableFuture<TokenEndpointResponse> result) {
        if (result.isDone()) {
            return;
        }
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, post, context);
            byte[] body = new byte[0];
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                InputStream in = entity.getContent();
                // One byte over the cap tells an oversized answer; at the largest cap there is no byte to spare.
                body = TokenEndpointResponse.readBounded(in, Math.min(maxBytes, Integer.MAX_VALUE - 1));
                if (body.length > maxBytes) {
                    // Closing the stream would drain the rest of an oversized body; drop the connection instead.
                    post.cancel();
                } else {
                    in.close();
                }
            }
            result.complete(new TokenEndpointResponse(response.getCode(),
                    TokenRequests.headers(response.getHeaders()), body));
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            if (response != null) {
                Closer.closeQuietly(response);
            }
        }
    }

    @Override
    public String toString() {
        return "ApacheTokenEndpointTransport[" + client.getClass().getSimpleName() + ']';
    }
}
