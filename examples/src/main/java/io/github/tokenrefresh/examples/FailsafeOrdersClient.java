package io.github.tokenrefresh.examples;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Fallback;
import dev.failsafe.RetryPolicy;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.failsafe.TokenPolicy;
import io.github.tokenrefresh.oauth2.BearerChallenge;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Calls a resource server with a plain JDK client through a Failsafe chain whose innermost policy is a
 * {@link TokenPolicy}: {@code Failsafe.with(fallback, retryPolicy, circuitBreaker, tokenPolicy)}.
 *
 * <p>The token policy attaches the token, and on a 401 that rejects it refreshes and replays inside the chain, so
 * the retry policy and the breaker see one attempt per logical call. The retry policy retries a transient token
 * endpoint outage, the resource server's I/O errors and 503s, never a terminal token failure; the breaker never
 * counts a token failure; the fallback turns an open breaker into the application's own failure.
 *
 * <p>Thread-safe: share one instance.
 */
public final class FailsafeOrdersClient {

    private final HttpClient client;
    private final TokenRefreshPolicy policy;
    private final TokenPolicy<HttpResponse<String>> tokenPolicy;
    private final FailsafeExecutor<HttpResponse<String>> failsafe;

    /**
     * Creates the client.
     *
     * @param client a plain client that follows no redirects; the token policy attaches the token
     * @param policy the policy that owns the token
     * @param retryPolicy the retry, for example {@link #retryPolicy(Duration)}
     * @param breaker the resource server's breaker, for example {@link #circuitBreaker()}
     * @param scheduler where asynchronous attempts and retries run
     */
    public FailsafeOrdersClient(HttpClient client, TokenRefreshPolicy policy,
            RetryPolicy<HttpResponse<String>> retryPolicy, CircuitBreaker<HttpResponse<String>> breaker,
            ScheduledExecutorService scheduler) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.tokenPolicy = tokenPolicy(policy);
        this.failsafe = Failsafe.with(fallback(), retryPolicy, breaker, tokenPolicy).with(scheduler);
    }

    /**
     * The token policy for JDK responses: a 401 whose challenge rejects the token is a rejection.
     *
     * @param policy the policy that owns the token
     * @return the Failsafe policy
     */
    public static TokenPolicy<HttpResponse<String>> tokenPolicy(TokenRefreshPolicy policy) {
        return TokenPolicy.<HttpResponse<String>>builder(policy)
                .handleResultIf(response -> BearerChallenge.isTokenRejection(response.statusCode(),
                        response.headers().allValues("WWW-Authenticate")))
                .build();
    }

    /**
     * The recommended retry policy: two retries with exponential backoff from {@code delay}, on a transient token
     * endpoint outage, an I/O error or a 503; never on a terminal token failure.
     *
     * @param delay the first delay
     * @return the retry policy
     */
    public static RetryPolicy<HttpResponse<String>> retryPolicy(Duration delay) {
        return RetryPolicy.<HttpResponse<String>>builder()
                .handleIf(TokenFailures.retryOn(failure -> failure instanceof IOException)::test)
                .handleResultIf(response -> response.statusCode() == 503)
                .withBackoff(delay, delay.multipliedBy(8))
                .withMaxRetries(2)
                .build();
    }

    /**
     * The recommended breaker for the resource server: opens after 5 failures among the last 10 calls, stays open
     * 30 seconds, counts I/O errors and 5xx answers and never a token failure.
     *
     * @return the breaker
     */
    public static CircuitBreaker<HttpResponse<String>> circuitBreaker() {
        return CircuitBreaker.<HttpResponse<String>>builder()
                .handleIf(TokenFailures.recordOn(failure -> failure instanceof IOException)::test)
                .handleResultIf(response -> response.statusCode() >= 500)
                .withFailureThreshold(5, 10)
                .withDelay(Duration.ofSeconds(30))
                .build();
    }

    private static Fallback<HttpResponse<String>> fallback() {
        return Fallback.<HttpResponse<String>>builderOfException(event -> new IllegalStateException(
                        "The orders API is unavailable: its circuit breaker is open", event.getLastException()))
                .handle(CircuitBreakerOpenException.class)
                .build();
    }

    /**
     * Returns the token policy in the chain, for its listeners.
     *
     * @return the token policy
     */
    public TokenPolicy<HttpResponse<String>> tokenPolicy() {
        return tokenPolicy;
    }

    /**
     * Sends a request, blocking.
     *
     * @param request the request, without credentials
     * @return the response
     * @throws IllegalArgumentException if the policy does not allow the token for the request's origin
     * @throws dev.failsafe.FailsafeException wrapping the last attempt's {@link IOException}
     * @throws io.github.tokenrefresh.TokenRefreshException when no token could be had
     */
    public HttpResponse<String> send(HttpRequest request) {
        checkOrigin(request);
        return failsafe.get(tokenPolicy.withToken(token -> client.send(withToken(request, token),
                BodyHandlers.ofString())));
    }

    /**
     * Sends a request without blocking.
     *
     * @param request the request, without credentials
     * @return a future of the response; cancelling it cancels the exchange, never a refresh other callers share
     * @throws IllegalArgumentException if the policy does not allow the token for the request's origin
     */
    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        checkOrigin(request);
        return failsafe.getStageAsync(tokenPolicy.withTokenAsync(token -> client.sendAsync(withToken(request, token),
                BodyHandlers.ofString())));
    }

    private void checkOrigin(HttpRequest request) {
        if (!policy.getConfig().permitsToken(request.uri())) {
            throw new IllegalArgumentException("The token may not be sent to " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + "; add the origin to the policy's allowed origins");
        }
    }

    private static HttpRequest withToken(HttpRequest request, AccessToken token) {
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", token.authorizationHeader())
                .build();
    }
}
