package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshConfig;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.jdk.internal.AsyncExchange;
import io.github.tokenrefresh.jdk.internal.ClientLifecycle;
import io.github.tokenrefresh.jdk.internal.ExchangeSettings;
import io.github.tokenrefresh.jdk.internal.SyncExchange;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that sends requests through a delegate client and keeps their bearer token fresh with a
 * {@link TokenRefreshPolicy}: it attaches the policy's access token, and when a resource server rejects it, refreshes
 * it (one refresh however many calls are rejected at once) and sends the request again.
 *
 * <pre>{@code
 * HttpClient client = TokenRefreshHttpClient.builder(policy)
 *         .delegate(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build())
 *         .followRedirects(HttpClient.Redirect.NORMAL)
 *         .build();
 * HttpResponse<String> orders = client.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <h2>Which requests get the token</h2>
 * A request gets {@code Authorization: Bearer <token>} when {@link TokenRefreshConfig#permitsToken} allows its URI:
 * its origin is one of the policy's allowed origins, which are https, or http only to a loopback host. A plain http
 * request that the delegate sends to a proxy off this host (chosen by its {@link #proxy() proxy selector}, or the
 * system's default selector as the JDK client does when it has none; a proxy is judged by the name it was given, as
 * a loopback origin is) goes without the token: that proxy would read it in the clear and pass it on to a loopback
 * host of its own. Any {@code Authorization} header the caller set on a request that gets the token is replaced.
 * Every other request is handed to the delegate as it is, without consulting the policy. The returned response's
 * {@link HttpResponse#request() request()} is the caller's request, without the token, just as the JDK client never
 * shows the credentials its own authenticator adds.
 *
 * <h2>Rejected tokens and replays</h2>
 * A 401 answer to a request that carried the token, which
 * {@link io.github.tokenrefresh.oauth2.BearerChallenge#isTokenRejection} classifies as a token rejection (for
 * example {@code WWW-Authenticate: Bearer error="invalid_token"}), makes the policy refresh the token it rejected
 * and send the request again, at most {@link TokenRefreshConfig#getMaxReplays()} times. The body of a 401 that will
 * be replayed is discarded without ever reaching the caller's {@code BodyHandler}. A request that
 * {@link ReplayableBodies} does not count as replayable is not sent again: the caller gets the 401, body and all, and
 * the policy publishes a {@link io.github.tokenrefresh.event.ReplayRefusedEvent}. So does the answer to the last
 * allowed replay. A 403 {@code insufficient_scope} and a 401 that challenges only for another scheme reach the
 * caller unchanged.
 *
 * <h2>Redirects</h2>
 * The delegate must not follow redirects ({@link HttpClient.Redirect#NEVER}, the JDK's default; anything else is
 * refused when the decorator is built), because a client that follows a redirect by itself may carry the token to
 * another origin (Java 17's does). The decorator follows redirects instead, by its own {@link #followRedirects()}
 * policy and with the JDK client's rules: 301, 302, 303, 307 and 308 are followed; 303, and 301 or 302 after a POST,
 * continue as a GET without body; {@link HttpClient.Redirect#NORMAL} never goes from https to http; at most
 * {@link Builder#maxRedirects(int)} redirects are followed, and the redirect answer after that is returned. Every
 * hop is checked on its own: the token goes only to hops whose URI the policy permits, the caller's own
 * {@code Authorization}, {@code Cookie}, {@code Origin} and {@code Referer} headers are dropped once a redirect
 * leaves the origin, and a request that starts at an origin without the token never gets it on a later hop. The
 * body of a redirect that is followed is discarded; the redirect itself is available from
 * {@link HttpResponse#previousResponse()}. A replay after a rejected token starts the chain again from the caller's
 * request.
 *
 * <h2>Failures</h2>
 * {@code send} throws the delegate's {@link IOException} and {@link InterruptedException} as usual (also when
 * interrupted while waiting for a refresh). When no token can be had it throws the policy's unchecked
 * {@link io.github.tokenrefresh.TokenRefreshException}s ({@link TokenEndpointUnavailableException},
 * {@link io.github.tokenrefresh.ReauthenticationRequiredException}, …), whose {@code isRetryable()} tells an outer
 * retry what to do; {@code sendAsync} completes its future exceptionally with the same exceptions.
 *
 * <h2>Everything else</h2>
 * Every getter ({@link #executor()}, {@link #sslContext()}, {@link #version()}, …) answers what the delegate
 * answers, except {@link #followRedirects()}, which reports the decorator's own policy. WebSocket handshakes
 * ({@link #newWebSocketBuilder()}) go to the delegate untouched and carry no token. Push promises of every hop reach
 * the caller's {@link PushPromiseHandler}; the initiating request they name is the hop's request as the caller sees
 * it (the caller's own, or the redirect hop made from it), never the one that carried the token. On Java 21 and later
 * {@link #close()}, {@link #shutdown()}, {@link #shutdownNow()}, {@link #awaitTermination(Duration)} and
 * {@link #isTerminated()} reach the delegate; on Java 17, whose client has no such methods, they behave as Java 21
 * specifies for a client without a lifecycle of its own: shutting down does nothing, {@code awaitTermination}
 * returns true at once, {@code isTerminated} returns false. Closing the decorator never closes the policy.
 *
 * <p>Instances are immutable and thread-safe, like the JDK client; share one across threads. While the token is
 * fresh a call costs the policy one volatile read of the prebuilt header; the decorator adds a copy of the request
 * with that header and a few small objects per call (the response view, the body handler that decides what to
 * discard; for plain http to loopback, the proxy selector's answer), and takes no lock and logs nothing. A request
 * to an origin without the token, with redirects off, is the delegate's own call.
 */
public final class TokenRefreshHttpClient extends HttpClient implements AutoCloseable {

    /** Redirects followed per call: five, the JDK client's own default limit. */
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    /** A chain longer than twenty hops is a loop, not a route; the browsers' own limits are about as long. */
    private static final int MAX_REDIRECTS_LIMIT = 20;

    private final HttpClient delegate;
    private final TokenRefreshPolicy policy;
    private final Redirect redirect;
    private final int maxRedirects;
    private final ExchangeSettings settings;

    private TokenRefreshHttpClient(Builder builder) {
        this.delegate = builder.delegate == null ? HttpClient.newHttpClient() : builder.delegate;
        this.policy = builder.policy;
        this.redirect = builder.redirect;
        this.maxRedirects = builder.maxRedirects;
        this.settings = new ExchangeSettings(delegate, policy.getConfig(), redirect, maxRedirects);
    }

    /**
     * Decorates a client that follows no redirects; the decorator follows none either.
     *
     * @param delegate the client that sends the requests, built with {@link HttpClient.Redirect#NEVER} (the default)
     * @param policy the policy that provides and refreshes the token
     * @return the decorated client
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code delegate} follows redirects
     */
    public static TokenRefreshHttpClient decorate(HttpClient delegate, TokenRefreshPolicy policy) {
        return builder(policy).delegate(delegate).build();
    }

    /**
     * Starts a builder, to choose the delegate and the redirect policy.
     *
     * @param policy the policy that provides and refreshes the token
     * @return a builder
     * @throws NullPointerException if {@code policy} is null
     */
    public static Builder builder(TokenRefreshPolicy policy) {
        return new Builder(policy);
    }

    /**
     * Returns the policy whose token this client attaches.
     *
     * @return the policy
     */
    public TokenRefreshPolicy policy() {
        return policy;
    }

    /**
     * Returns the client that sends the requests.
     *
     * @return the delegate
     */
    public HttpClient delegate() {
        return delegate;
    }

    /**
     * Returns the most redirects one call follows.
     *
     * @return the limit
     */
    public int maxRedirects() {
        return maxRedirects;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    /**
     * Returns the decorator's redirect policy, which it applies itself; the delegate's is always
     * {@link HttpClient.Redirect#NEVER}.
     *
     * @return the redirect policy
     */
    @Override
    public Redirect followRedirects() {
        return redirect;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /**
     * Sends a request, attaching the token if its origin is allowed, replaying it once the token was refreshed if
     * the token was rejected, and following redirects by {@link #followRedirects()}.
     *
     * @param request the request
     * @param responseBodyHandler the handler for the body of the answer the caller gets
     * @param <T> the body type
     * @return the answer
     * @throws IOException if sending or receiving fails
     * @throws InterruptedException if the thread is interrupted while waiting for an answer or a token
     * @throws io.github.tokenrefresh.TokenRefreshException if no usable token can be had
     * @throws IllegalArgumentException if the delegate refuses the request
     */
    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> responseBodyHandler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(responseBodyHandler, "responseBodyHandler must not be null");
        if (!settings.permitsToken(request.uri())) {
            return redirect == Redirect.NEVER
                    ? delegate.send(request, responseBodyHandler)
                    : sendWithoutToken(new SyncExchange<>(settings, request, responseBodyHandler));
        }

        try {
            return policy.execute(new SyncExchange<>(settings, request, responseBodyHandler));
        } catch (SyncExchange.Interrupted e) {
            throw e.interruption();
        } catch (TokenEndpointUnavailableException e) {
            // Only a wait of this thread that was interrupted (the policy restored the flag) is an interruption of
            // the caller; a refresh whose grant failed on an interrupted thread of its own is not. A thrown
            // InterruptedException means the flag is clear.
            if (e.getCause() instanceof InterruptedException && Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException(e.getMessage());
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    private static <T> HttpResponse<T> sendWithoutToken(SyncExchange<T> exchange)
            throws IOException, InterruptedException {
        try {
            return exchange.send(null, 0);
        } catch (SyncExchange.Interrupted e) {
            throw e.interruption();
        }
    }

    /**
     * Sends a request without blocking; see {@link #send}. The future fails with what {@code send} throws.
     * Cancelling it cancels the exchange in progress, never a refresh other calls wait for.
     *
     * @param request the request
     * @param responseBodyHandler the handler for the body of the answer the caller gets
     * @param <T> the body type
     * @return a future of the answer
     */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            BodyHandler<T> responseBodyHandler) {
        return sendAsync(request, responseBodyHandler, null);
    }

    /**
     * Sends a request without blocking, handing server pushes to {@code pushPromiseHandler}; see {@link #send}.
     *
     * @param request the request
     * @param responseBodyHandler the handler for the body of the answer the caller gets
     * @param pushPromiseHandler the handler for push promises of every hop, or null to refuse them
     * @param <T> the body type
     * @return a future of the answer
     */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            BodyHandler<T> responseBodyHandler, PushPromiseHandler<T> pushPromiseHandler) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(responseBodyHandler, "responseBodyHandler must not be null");
        boolean permitted = settings.permitsToken(request.uri());
        if (!permitted && redirect == Redirect.NEVER) {
            return delegate.sendAsync(request, responseBodyHandler, pushPromiseHandler);
        }

        AsyncExchange<T> exchange = new AsyncExchange<>(settings, request, responseBodyHandler, pushPromiseHandler);
        return permitted ? policy.executeAsync(exchange) : exchange.send(null, 0);
    }

    /**
     * Returns the delegate's WebSocket builder. The opening handshake carries no token; add one with
     * {@link WebSocket.Builder#header} if the server needs it.
     *
     * @return the delegate's builder
     */
    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    /**
     * Closes the delegate on Java 21 and later, waiting for its exchanges to finish; does nothing on Java 17.
     * The policy stays open.
     */
    @Override
    public void close() {
        if (ClientLifecycle.isSupported()) {
            ClientLifecycle.close(delegate);
        }
    }

    /**
     * Starts an orderly shutdown of the delegate on Java 21 and later; does nothing on Java 17.
     */
    public void shutdown() {
        if (ClientLifecycle.isSupported()) {
            ClientLifecycle.shutdown(delegate);
        }
    }

    /**
     * Starts an immediate shutdown of the delegate on Java 21 and later; does nothing on Java 17.
     */
    public void shutdownNow() {
        if (ClientLifecycle.isSupported()) {
            ClientLifecycle.shutdownNow(delegate);
        }
    }

    /**
     * Waits for the delegate to terminate after a shutdown, on Java 21 and later; returns true at once on Java 17.
     *
     * @param duration the longest wait
     * @return true if the delegate terminated
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if {@code duration} is null
     */
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration must not be null");
        return !ClientLifecycle.isSupported() || ClientLifecycle.awaitTermination(delegate, duration);
    }

    /**
     * Tells whether the delegate has terminated after a shutdown, on Java 21 and later; false on Java 17.
     *
     * @return true if the delegate terminated
     */
    public boolean isTerminated() {
        return ClientLifecycle.isSupported() && ClientLifecycle.isTerminated(delegate);
    }

    @Override
    public String toString() {
        return "TokenRefreshHttpClient[policy=" + policy.getName() + ", followRedirects=" + redirect
                + ", maxRedirects=" + maxRedirects + ", delegate=" + delegate + ']';
    }

    /**
     * Builds a {@link TokenRefreshHttpClient}. Each option is checked when given. Not thread-safe.
     */
    public static final class Builder {

        private final TokenRefreshPolicy policy;
        private HttpClient delegate;
        private Redirect redirect = Redirect.NEVER;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;

        private Builder(TokenRefreshPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy must not be null");
        }

        /**
         * Sets the client that sends the requests; by default {@link HttpClient#newHttpClient()}. Configure it
         * (timeouts, proxy, TLS, executor) as usual. The decorator's lifecycle methods reach it: closing or shutting
         * down the decorator closes or shuts down this client on Java 21 and later, as a decorator of it should.
         *
         * @param delegate a client built with {@link HttpClient.Redirect#NEVER}, the JDK's default
         * @return this builder
         * @throws NullPointerException if {@code delegate} is null
         * @throws IllegalArgumentException if {@code delegate} follows redirects
         */
        public Builder delegate(HttpClient delegate) {
            Objects.requireNonNull(delegate, "delegate must not be null");
            if (delegate.followRedirects() != Redirect.NEVER) {
                throw new IllegalArgumentException("delegate follows redirects (" + delegate.followRedirects()
                        + "); a client that follows redirects itself can carry the token to another origin. Build "
                        + "the delegate with Redirect.NEVER and give the redirect policy to followRedirects(...) of "
                        + "this builder");
            }
            this.delegate = delegate;
            return this;
        }

        /**
         * Sets which redirects the decorator follows; by default {@link HttpClient.Redirect#NEVER}, like the JDK
         * client. See the class description for the rules.
         *
         * @param redirect the redirect policy
         * @return this builder
         * @throws NullPointerException if {@code redirect} is null
         */
        public Builder followRedirects(Redirect redirect) {
            this.redirect = Objects.requireNonNull(redirect, "followRedirects must not be null");
            return this;
        }

        /**
         * Sets how many redirects one call follows at most; by default {@link #DEFAULT_MAX_REDIRECTS}.
         *
         * @param maxRedirects 1 to 20
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxRedirects(int maxRedirects) {
            if (maxRedirects < 1 || maxRedirects > MAX_REDIRECTS_LIMIT) {
                throw new IllegalArgumentException("maxRedirects must be within [1, " + MAX_REDIRECTS_LIMIT
                        + "], was " + maxRedirects);
            }
            this.maxRedirects = maxRedirects;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the decorated client
         */
        public TokenRefreshHttpClient build() {
            return new TokenRefreshHttpClient(this);
        }
    }
}
