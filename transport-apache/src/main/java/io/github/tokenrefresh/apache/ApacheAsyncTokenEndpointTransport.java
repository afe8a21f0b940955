package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.apache.internal.BoundedResponseConsumer;
import io.github.tokenrefresh.apache.internal.OneShotBodies;
import io.github.tokenrefresh.apache.internal.TokenRequests;
import io.github.tokenrefresh.apache.internal.TransportThreads;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;
import org.apache.hc.client5.http.async.HttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The core's {@link TokenEndpointTransport} over an asynchronous Apache HttpClient 5: posts the token request the
 * core built and collects the answer on the client's I/O reactor, occupying no thread while it waits. The returned
 * stage completes on one of the library's shared daemon threads, never on the reactor, so what the policy does with
 * the answer (such as writing a token store that does I/O) never holds up the client's other exchanges.
 *
 * <p>Every exchange runs under the request's {@link TokenEndpointRequest#timeout() timeout}: when it has not
 * finished in time the returned stage fails with a {@link java.util.concurrent.TimeoutException} and the exchange is
 * cancelled, which closes its connection; HttpClient's connection-lease and read timeouts stand just beyond it.
 * Per request the transport switches off what HttpClient would otherwise add: redirects, its own authentication
 * and auth cache, cookies and content compression. The body is offered as one-shot, so HttpClient's retry strategy
 * never sends a token request twice; retrying is the policy's job, with its backoff. At most
 * {@code maxResponseBytes + 1} body bytes are kept; once an answer passes that, the stage completes with what was
 * read (the core rejects it as oversized) and the exchange is failed rather than read to the end.
 *
 * <p>The client must be started before the first refresh and stay running; the transport neither starts nor closes
 * it. It may be the client the application calls its APIs with, {@link TokenRefreshAsyncExecChainHandler} installed
 * and all: the handler passes this transport's requests through untouched. Instances are immutable and
 * thread-safe.
 */
public final class ApacheAsyncTokenEndpointTransport implements TokenEndpointTransport {

    private final HttpAsyncClient client;

    private ApacheAsyncTokenEndpointTransport(HttpAsyncClient client) {
        this.client = client;
    }

    /**
     * Creates a transport over a started client.
     *
     * @param client the client, for example from {@code HttpAsyncClients.custom()...build()}, started
     * @return the transport
     * @throws NullPointerException if {@code client} is null
     */
    public static ApacheAsyncTokenEndpointTransport of(HttpAsyncClient client) {
        return new ApacheAsyncTokenEndpointTransport(Objects.requireNonNull(client, "client must not be null"));
    }

    /**
     * Sends the request and returns at once.
     *
     * @param request the token request
     * @return a stage completing with the answer, whatever its status; exceptionally with an
     *         {@link java.io.IOException} when the exchange fails, a {@link java.util.concurrent.TimeoutException}
     *         when it runs out of time, or an {@link IllegalStateException} when the client is not running
     */
    @Override
    public CompletionStage<TokenEndpointResponse> send(TokenEndpointRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        AsyncRequestBuilder builder = AsyncRequestBuilder.post(request.uri())
                .setEntity(OneShotBodies.async(request.body()));
        request.headers().forEach(builder::addHeader);
        AsyncRequestProducer producer = builder.build();

        CompletableFuture<TokenEndpointResponse> result = new CompletableFuture<>();
        Future<TokenEndpointResponse> exchange = client.execute(producer,
                new BoundedResponseConsumer(request.maxResponseBytes(), result), null,
                TokenRequests.context(request), new FutureCallback<>() {
                    @Override
                    public void completed(TokenEndpointResponse response) {
                        result.complete(response);
                    }

                    @Override
                    public void failed(Exception cause) {
                        // HttpClient cancels what it is asked to run while it is not running.
                        result.completeExceptionally(
                                cause instanceof CancellationException ? notRunning(cause) : cause);
                    }

                    @Override
                    public void cancelled() {
                        result.completeExceptionally(notRunning(null));
                    }
                });

        ScheduledFuture<?> deadline = TransportThreads.deadlines().schedule(() -> {
            if (result.completeExceptionally(TokenRequests.timedOut(request))) {
                // Cancelling the exchange closes its connection and gives it back to the pool.
                exchange.cancel(true);
            }
        }, request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((response, failure) -> deadline.cancel(false));

        // The answer completes on the client's I/O reactor; the policy moves its own follow-up (parsing, the store
        // write, releasing waiters) to its executor, so nothing here needs to hop threads.
        return result;
    }

    private static IllegalStateException notRunning(Throwable cause) {
        return new IllegalStateException("the HttpAsyncClient for the token endpoint cancelled the request: it was "
                + "never started or is already closed; start() it before the first refresh and close it after the "
                + "policy", cause);
    }

    @Override
    public String toString() {
        return "ApacheAsyncTokenEndpointTransport[" + client.getClass().getSimpleName() + ']';
    }
}
