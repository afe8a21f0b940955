package io.github.tokenrefresh.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRejectedException;
import io.github.tokenrefresh.oauth2.BearerChallenge;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The core decorators composed with Resilience4j's static decorators, for code that does not use a decorating HTTP
 * client: {@code policy.decorateCallable(...)} returns a plain {@link Callable} and
 * {@code policy.decorateCompletionStage(...)} a plain {@link Supplier} of a stage, which Resilience4j wraps
 * unchanged. The order is the same as {@link Resilience4jOrdersClient}'s: the token policy innermost.
 *
 * <p>The function reports a rejected token by throwing {@link TokenRejectedException}; when the replay is refused
 * too, the caller gets {@link io.github.tokenrefresh.ReplayRefusedException}, which no retry retries.
 *
 * <p>Not instantiable: static recipes only.
 */
public final class Resilience4jDecoratedCalls {

    private Resilience4jDecoratedCalls() {
    }

    /**
     * Builds {@code Retry( CircuitBreaker( policy( send ) ) )} for a blocking call.
     *
     * @param policy the token policy
     * @param client a plain client; the function attaches the token
     * @param request the request, without credentials
     * @param retry the retry
     * @param breaker the resource server's breaker
     * @return the decorated call
     */
    public static Callable<HttpResponse<String>> blocking(TokenRefreshPolicy policy, HttpClient client,
            HttpRequest request, Retry retry, CircuitBreaker breaker) {
        Callable<HttpResponse<String>> withToken = policy.decorateCallable(token ->
                acceptedOrThrow(client.send(authorized(request, token), BodyHandlers.ofString())));
        return Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker, withToken));
    }

    /**
     * Builds the same order for a non-blocking call; retries wait on {@code scheduler}.
     *
     * @param policy the token policy
     * @param client a plain client; the function attaches the token
     * @param request the request, without credentials
     * @param retry the retry
     * @param breaker the resource server's breaker
     * @param scheduler where the retry waits
     * @return the decorated call
     */
    public static Supplier<CompletionStage<HttpResponse<String>>> nonBlocking(TokenRefreshPolicy policy,
            HttpClient client, HttpRequest request, Retry retry, CircuitBreaker breaker,
            ScheduledExecutorService scheduler) {
        Supplier<CompletionStage<HttpResponse<String>>> withToken = policy.decorateCompletionStage(token ->
                client.sendAsync(authorized(request, token), BodyHandlers.ofString())
                        .thenCompose(Resilience4jDecoratedCalls::acceptedOrFail));
        return Retry.decorateCompletionStage(retry, scheduler,
                CircuitBreaker.decorateCompletionStage(breaker, withToken));
    }

    private static HttpRequest authorized(HttpRequest request, AccessToken token) {
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", token.authorizationHeader())
                .build();
    }

    private static <T> HttpResponse<T> acceptedOrThrow(HttpResponse<T> response) {
        if (BearerChallenge.isTokenRejection(response.statusCode(),
                response.headers().allValues("WWW-Authenticate"))) {
            throw new TokenRejectedException("the resource server answered " + response.statusCode());
        }
        return response;
    }

    private static <T> CompletionStage<HttpResponse<T>> acceptedOrFail(HttpResponse<T> response) {
        try {
            return CompletableFuture.completedFuture(acceptedOrThrow(response));
        } catch (TokenRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
