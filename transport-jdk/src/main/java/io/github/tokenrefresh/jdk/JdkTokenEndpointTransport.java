package io.github.tokenrefresh.jdk;

import io.github.tokenrefresh.jdk.internal.BoundedBodySubscriber;
import io.github.tokenrefresh.oauth2.TokenEndpointRequest;
import io.github.tokenrefresh.oauth2.TokenEndpointResponse;
import io.github.tokenrefresh.oauth2.TokenEndpointTransport;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The token endpoint transport of {@link io.github.tokenrefresh.oauth2.TokenEndpoint} over the JDK
 * {@link HttpClient}: posts the form with exactly the headers the core built, reads at most
 * {@code maxResponseBytes + 1} body bytes without blocking any thread, and never follows a redirect.
 *
 * <pre>{@code
 * TokenEndpoint endpoint = TokenEndpoint.builder(URI.create("https://login.example.com/oauth2/token"))
 *         .clientAuthentication(ClientAuthentication.clientSecretBasic("orders-service", secret))
 *         .transport(JdkTokenEndpointTransport.create())
 *         .build();
 * }</pre>
 *
 * <p><b>Timeouts.</b> The whole exchange (connecting, sending, the status line and every body byte) must end within
 * {@link TokenEndpointRequest#timeout()}, the policy's refresh timeout; otherwise the exchange is cancelled, which
 * closes its connection, and the stage fails with a {@link TimeoutException}. The client the transport builds also
 * gives up connecting after {@link #DEFAULT_CONNECT_TIMEOUT}. I/O failures, such as a connection closed in the middle
 * of the answer, fail the stage with the client's {@link java.io.IOException}. Every HTTP answer, whatever its
 * status, completes the stage normally; interpreting it is the core's job.
 *
 * <p>Instances are immutable and thread-safe; one transport may serve every endpoint of an application. The policy
 * calls it from background threads, so blocking ({@code send}) and non-blocking ({@code sendAsync}) callers of a
 * decorated client both reach the token endpoint through the same non-blocking exchange.
 */
public final class JdkTokenEndpointTransport implements TokenEndpointTransport {

    /**
     * Connect timeout of the client the transport builds: five seconds, half the default refresh timeout, so an
     * unreachable host fails with a connect error while the refresh can still be retried in time.
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;

    private JdkTokenEndpointTransport(HttpClient client) {
        this.client = client;
    }

    /**
     * Creates a transport with its own client: no redirects, {@link #DEFAULT_CONNECT_TIMEOUT}, the JDK's defaults
     * for the rest.
     *
     * @return the transport
     */
    public static JdkTokenEndpointTransport create() {
        return builder().build();
    }

    /**
     * Starts a builder, to bring a client of your own (proxy, TLS, executor) or change the connect timeout.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the client that carries the requests.
     *
     * @return the client
     */
    public HttpClient client() {
        return client;
    }

    /**
     * Posts the request; see the class description. Never blocks the calling thread.
     *
     * @param request the token request
     * @return a stage completing with the answer, or exceptionally with an {@link java.io.IOException}, a
     *         {@link TimeoutException}, or an {@link IllegalArgumentException} when the JDK refuses a header of the
     *         request
     */
    @Override
    public CompletableFuture<TokenEndpointResponse> send(TokenEndpointRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        HttpRequest post;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
            post = builder.build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }

        int limit = request.maxResponseBytes() == Integer.MAX_VALUE
                ? Integer.MAX_VALUE
                : request.maxResponseBytes() + 1;
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = client.sendAsync(post, info -> new BoundedBodySubscriber(limit));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }

        CompletableFuture<TokenEndpointResponse> answer = new CompletableFuture<>();
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure);
                return;
            }
            try {
                answer.complete(new TokenEndpointResponse(response.statusCode(), response.headers().map(),
                        response.body()));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });

        // The JDK's own request timeout ends with the status line; this deadline also covers a body that stalls.
        // The timer thread is the JDK's shared one: it only looks, and hands the expiry to another thread.
        Duration timeout = request.timeout();
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
            if (!answer.isDone()) {
                CompletableFuture.runAsync(() -> expire(answer, exchange, request));
            }
        });
        return answer;
    }

    private static void expire(CompletableFuture<TokenEndpointResponse> answer, CompletableFuture<?> exchange,
            TokenEndpointRequest request) {
        if (answer.completeExceptionally(new TimeoutException("the token endpoint " + request.uri()
                + " did not complete its answer within " + request.timeout()))) {
            // Cancelling the JDK's exchange closes its connection, so no thread keeps reading a late answer.
            exchange.cancel(true);
        }
    }

    @Override
    public String toString() {
        return "JdkTokenEndpointTransport[" + client + ']';
    }

    /**
     * Builds a {@link JdkTokenEndpointTransport}. Each option is checked when given. Not thread-safe.
     */
    public static final class Builder {

        private HttpClient client;
        private Duration connectTimeout;

        private Builder() {
        }

        /**
         * Uses a client of your own instead of one the transport builds.
         *
         * @param client a client that follows no redirects ({@link HttpClient.Redirect#NEVER}, the default), has
         *               no {@link java.net.Authenticator} and is no {@link TokenRefreshHttpClient} (give its
         *               {@link TokenRefreshHttpClient#delegate() delegate} instead), since the token endpoint request
         *               must carry exactly the credentials the core put in it
         * @return this builder
         * @throws NullPointerException if {@code client} is null
         * @throws IllegalArgumentException if the client follows redirects, has an authenticator or attaches a
         *                                  policy's token
         */
        public Builder client(HttpClient client) {
            Objects.requireNonNull(client, "client must not be null");
            if (client instanceof TokenRefreshHttpClient) {
                throw new IllegalArgumentException("client is a TokenRefreshHttpClient; it would replace the client "
                        + "credentials of token requests to an allowed origin with a bearer token, and make a refresh "
                        + "wait for itself. Pass its delegate() instead");
            }
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("client follows redirects (" + client.followRedirects()
                        + "); a token request carries credentials and must never be redirected. Build the client "
                        + "with Redirect.NEVER");
            }
            if (client.authenticator().isPresent()) {
                throw new IllegalArgumentException("client has an Authenticator; it would add credentials of its "
                        + "own to token requests. Use a client without one");
            }
            this.client = client;
            return this;
        }

        /**
         * Sets the connect timeout of the client the transport builds; by default {@link #DEFAULT_CONNECT_TIMEOUT}.
         * A client given to {@link #client(HttpClient)} keeps its own.
         *
         * @param connectTimeout positive
         * @return this builder
         * @throws NullPointerException if {@code connectTimeout} is null
         * @throws IllegalArgumentException if it is zero or negative
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout must not be null");
            if (connectTimeout.isZero() || connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Builds the transport.
         *
         * @return the transport
         * @throws IllegalStateException if both a client and a connect timeout were given
         */
        public JdkTokenEndpointTransport build() {
            if (client != null && connectTimeout != null) {
                throw new IllegalStateException("connectTimeout applies to the client the transport builds; set it "
                        + "on the client given to client(...) instead");
            }
            HttpClient built = client != null
                    ? client
                    : HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT)
                            .build();
            return new JdkTokenEndpointTransport(built);
        }
    }
}
