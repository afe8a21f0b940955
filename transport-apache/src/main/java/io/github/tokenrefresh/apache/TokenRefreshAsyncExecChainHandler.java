package io.github.tokenrefresh.apache;

import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.apache.internal.AsyncTokenExchange;
import io.github.tokenrefresh.apache.internal.TokenDestinations;
import io.github.tokenrefresh.apache.internal.TokenHeaders;
import io.github.tokenrefresh.apache.internal.TokenRequests;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

import java.io.IOException;
import java.util.Objects;

/**
 * Binds a {@link TokenRefreshPolicy} to the asynchronous Apache HttpClient 5, with the behaviour of
 * {@link TokenRefreshExecChainHandler} (read its description of placement, attaching the token, rejections and
 * HttpClient's own authentication) and without ever blocking a thread.
 *
 * <p>Install it with {@link #install(HttpAsyncClientBuilder, TokenRefreshPolicy)}:
 * <pre>{@code
 * CloseableHttpAsyncClient client = TokenRefreshAsyncExecChainHandler.install(HttpAsyncClients.custom(), policy)
 *         .build();
 * }</pre>
 *
 * <p><b>Threads.</b> A request that finds the token fresh goes down the chain on the calling thread. One that has
 * to wait for a refresh (the first request, an expired token, a rejection) is parked on the policy's shared future
 * and sent on from whichever thread completes the refresh; the I/O reactor thread that delivered a 401 only hands
 * the rejection to the policy and returns. The refresh itself runs on the policy's
 * {@link io.github.tokenrefresh.TokenRefreshConfig#getExecutor() executor}, so keep that a real pool (the default
 * is) rather than a same-thread executor, which would run the grant and the token store on a reactor thread.
 *
 * <p><b>Rejections.</b> The decision to replay is taken on the response head. A 401 that rejects the token, for a
 * request whose {@link AsyncEntityProducer} is {@link AsyncEntityProducer#isRepeatable() repeatable} (or that has
 * none) and replays left, never reaches the caller's response consumer: HttpClient reads and drops its body, the
 * connection goes back to the pool, the entity producer is reset, and the request is replayed with the refreshed
 * token. Otherwise the response, a 401 included, streams to the caller's consumer as usual.
 *
 * <p><b>Failures and cancellation.</b> When no token can be had, the request's future fails with the policy's
 * {@link io.github.tokenrefresh.TokenRefreshException}. Cancelling the future while the request waits for a refresh
 * fails it at once with a {@link java.util.concurrent.CancellationException}; the refresh goes on for the other
 * callers.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TokenRefreshAsyncExecChainHandler implements AsyncExecChainHandler {

    /** The name the handler is registered under in the exec chain. */
    public static final String NAME = "TOKEN_REFRESH";

    private final TokenRefreshPolicy policy;
    private final TokenDestinations destinations;
    private final TokenHeaders headers = new TokenHeaders();
    private final int maxReplays;

    /**
     * Creates a handler for {@code policy}; the {@code install} methods add it to a builder in the right place.
     *
     * @param policy the policy whose token the requests carry
     * @throws NullPointerException if {@code policy} is null
     */
    public TokenRefreshAsyncExecChainHandler(TokenRefreshPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.destinations = new TokenDestinations(policy.getConfig());
        this.maxReplays = policy.getConfig().getMaxReplays();
    }

    /**
     * Adds a handler for {@code policy} to an HTTP/1.1 (and negotiated HTTP/2) client builder, after the protocol
     * element and so below redirects and retries, under the name {@value #NAME}.
     *
     * @param builder the client builder
     * @param policy the policy
     * @return {@code builder}, to go on configuring it
     * @throws NullPointerException if an argument is null
     */
    public static HttpAsyncClientBuilder install(HttpAsyncClientBuilder builder, TokenRefreshPolicy policy) {
        Objects.requireNonNull(builder, "builder must not be null");
        return builder.addExecInterceptorAfter(ChainElement.PROTOCOL.name(), NAME,
                new TokenRefreshAsyncExecChainHandler(policy));
    }

    /**
     * Adds a handler for {@code policy} to an HTTP/2-only client builder, in the same place.
     *
     * @param builder the client builder
     * @param policy the policy
     * @return {@code builder}, to go on configuring it
     * @throws NullPointerException if an argument is null
     */
    public static H2AsyncClientBuilder install(H2AsyncClientBuilder builder, TokenRefreshPolicy policy) {
        Objects.requireNonNull(builder, "builder must not be null");
        return builder.addExecInterceptorAfter(ChainElement.PROTOCOL.name(), NAME,
                new TokenRefreshAsyncExecChainHandler(policy));
    }

    /**
     * Returns the policy this handler applies.
     *
     * @return the policy
     */
    public TokenRefreshPolicy getPolicy() {
        return policy;
    }

    /**
     * Sends the request with the policy's token if its origin is allowed, replaying it after a token rejection;
     * sends any other request unchanged. Returns without waiting; the outcome goes to {@code callback}.
     *
     * @param request the request
     * @param entityProducer its body, or null
     * @param scope the exchange's scope
     * @param chain the rest of the chain
     * @param callback receives the response or the failure
     * @throws HttpException when the rest of the chain throws it for a request sent unchanged
     * @throws IOException when the rest of the chain throws it for a request sent unchanged
     */
    @Override
    public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
            AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
        if (!destinations.permits(request, scope.route) || TokenRequests.isTokenRequest(scope.clientContext)) {
            TokenHeaders.stripPolicyToken(request);
            chain.proceed(request, entityProducer, scope, callback);
            return;
        }
        new AsyncTokenExchange(request, entityProducer, scope, chain, callback, headers, maxReplays).start(policy);
    }

    @Override
    public String toString() {
        return "TokenRefreshAsyncExecChainHandler[policy=" + policy.getName() + ']';
    }
}
