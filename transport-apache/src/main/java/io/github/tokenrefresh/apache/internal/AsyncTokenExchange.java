package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AsyncAuthorizedCall;
import io.github.tokenrefresh.TokenRefreshPolicy;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One asynchronous request on its way through the policy, bridging HttpClient's callback chain to the core's
 * {@link AsyncAuthorizedCall}.
 *
 * <p>Each send is an {@link Attempt}: the request goes down the chain with the token, and the attempt decides on
 * the response head, while the I/O reactor waits for a data consumer, whether the answer goes to the caller or is
 * dropped for a replay. It replays exactly when the core will, by the same rule: a rejected token, a repeatable
 * entity producer, and replays left. A dropped answer's body is read and thrown away by HttpClient, its connection
 * goes back to the pool, and only then does the attempt's stage complete, so the refresh runs on whatever thread
 * the policy uses and never holds up a reactor thread or a pooled connection.
 *
 * <p>The caller's callback gets exactly one outcome: either the response of the attempt that was passed through
 * (and then everything that follows it, straight from the chain), or one failure from here.
 */
public final class AsyncTokenExchange implements AsyncAuthorizedCall<AsyncTokenExchange.Attempt>, Cancellable,
        BiConsumer<AsyncTokenExchange.Attempt, Throwable> {

    private static final int PENDING = 0;
    private static final int DELIVERED = 1;
    private static final int FAILED = 2;

    private final HttpRequest request;
    private final AsyncEntityProducer entityProducer;
    private final AsyncExecChain.Scope scope;
    private final AsyncExecChain chain;
    private final AsyncExecCallback callback;
    private final TokenHeaders headers;
    private final int maxReplays;
    private final AtomicInteger delivery = new AtomicInteger(PENDING);

    private Header[] headersAsGiven;
    private volatile boolean replayable = true;

    /**
     * Creates the exchange.
     *
     * @param request the request as the chain handed it to the handler; its headers are changed in place
     * @param entityProducer its body, or null
     * @param scope the chain's scope
     * @param chain the rest of the chain
     * @param callback where the outcome goes
     * @param headers the handler's token headers
     * @param maxReplays the policy's replay limit
     */
    public AsyncTokenExchange(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
            AsyncExecChain chain, AsyncExecCallback callback, TokenHeaders headers, int maxReplays) {
        this.request = request;
        this.entityProducer = entityProducer;
        this.scope = scope;
        this.chain = chain;
        this.callback = callback;
        this.headers = headers;
        this.maxReplays = maxReplays;
    }

    /**
     * Hands the exchange to the policy. Returns at once; nothing here waits.
     *
     * @param policy the policy
     */
    public void start(TokenRefreshPolicy policy) {
        CompletableFuture<Attempt> outcome;
        try {
            outcome = policy.executeAsync(this);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        outcome.whenComplete(this);
    }

    /** Receives the policy's verdict; only a failure needs forwarding, a response already went to the caller. */
    @Override
    public void accept(Attempt attempt, Throwable failure) {
        if (failure != null) {
            fail(failure);
        }
    }

    @Override
    public CompletionStage<Attempt> send(AccessToken token, int replay) {
        if (delivery.get() == FAILED || scope.cancellableDependency.isCancelled()) {
            return CompletableFuture.failedFuture(new CancellationException("the request was cancelled"));
        }
        // The elements below add Host, Content-Length, cookies and such to the request itself; a replay starts
        // again from the headers as they were handed to us. Sends never overlap, and the policy orders them.
        if (headersAsGiven == null) {
            headersAsGiven = request.getHeaders();
        } else {
            request.setHeaders(headersAsGiven);
        }
        headers.attach(request, token);
        Attempt attempt = new Attempt(replay);
        try {
            chain.proceed(request, entityProducer, scope, attempt);
        } catch (HttpException | IOException | RuntimeException e) {
            attempt.result.completeExceptionally(e);
        }
        return attempt.result;
    }

    @Override
    public boolean isTokenRejected(Attempt attempt) {
        return attempt.rejected;
    }

    /**
     * Returns the decision the last attempt took on its response head, so the policy and the attempt never
     * disagree about a replay.
     *
     * @return whether the entity producer can produce the body again
     */
    @Override
    public boolean isReplayable() {
        return replayable;
    }

    /** Nothing to release: HttpClient dropped the body and the connection went back when the attempt ended. */
    @Override
    public void discard(Attempt attempt) {
    }

    /**
     * Cancels the request while it waits for a refresh, which goes on for the other callers.
     *
     * @return true if the caller had not had an outcome yet
     */
    @Override
    public boolean cancel() {
        return fail(new CancellationException("the request was cancelled while its token was being refreshed"));
    }

    private boolean fail(Throwable failure) {
        if (!delivery.compareAndSet(PENDING, FAILED)) {
            return false;
        }
        callback.failed(asException(failure));
        return true;
    }

    private static Exception asException(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof Exception ? (Exception) cause : new ExecutionException(cause);
    }

    /**
     * One send down the chain. Its callbacks arrive on an I/O reactor thread (a failure may also arrive on a
     * cancelling thread), so its state is volatile; the stage completes after that state is written.
     */
    public final class Attempt implements AsyncExecCallback {

        private final int replay;
        private final CompletableFuture<Attempt> result = new CompletableFuture<>();
        private volatile boolean responded;
        private volatile boolean rejected;
        private volatile boolean dropped;
        private volatile boolean delivered;

        Attempt(int replay) {
            this.replay = replay;
        }

        @Override
        public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
                throws HttpException, IOException {
            responded = true;
            rejected = Rejections.isTokenRejection(response);
            if (rejected) {
                replayable = entityProducer == null || entityProducer.isRepeatable();
                if (replayable && replay < maxReplays) {
                    // No consumer: HttpClient reads the body and drops it, so the connection stays reusable.
                    dropped = true;
                    return null;
                }
            }
            if (!delivery.compareAndSet(PENDING, DELIVERED)) {
                result.complete(this);
                return null;
            }
            delivered = true;
            result.complete(this);
            return callback.handleResponse(response, entityDetails);
        }

        @Override
        public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
            if (delivery.get() != FAILED) {
                callback.handleInformationResponse(response);
            }
        }

        @Override
        public void completed() {
            if (delivered) {
                callback.completed();
                return;
            }
            if (!responded) {
                result.completeExceptionally(new IOException("the exchange ended without a response"));
                return;
            }
            if (!dropped) {
                return;
            }
            try {
                // Nobody holds a connection while the token is refreshed; the replay leases one again.
                scope.execRuntime.releaseEndpoint();
                if (entityProducer != null) {
                    entityProducer.releaseResources();
                }
                scope.cancellableDependency.setDependency(AsyncTokenExchange.this);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(this);
        }

        @Override
        public void failed(Exception cause) {
            if (delivered) {
                callback.failed(cause);
            } else {
                result.completeExceptionally(cause);
            }
        }
    }
}
