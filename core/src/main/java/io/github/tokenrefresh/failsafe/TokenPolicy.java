package io.github.tokenrefresh.failsafe;

import dev.failsafe.ExecutionContext;
import dev.failsafe.Policy;
import dev.failsafe.function.CheckedFunction;
import dev.failsafe.function.ContextualSupplier;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenRefreshPolicy;

import java.util.concurrent.CompletionStage;

/**
 * A Failsafe {@link Policy} that runs each execution with the access token of a {@link TokenRefreshPolicy}: it
 * obtains the token (waiting for a refresh when the token has expired), hands it to the function, and when the
 * function reports that the resource server rejected the token, refreshes once (shared with every other caller
 * that saw the same token rejected) and runs the function again with the new token, inside the Failsafe chain.
 *
 * <pre>{@code
 * TokenPolicy<HttpResponse<String>> tokenPolicy = TokenPolicy.<HttpResponse<String>>builder(policy)
 *         .handleResultIf(response -> BearerChallenge.isTokenRejection(response.statusCode(),
 *                 response.headers().allValues("WWW-Authenticate")))
 *         .build();
 * HttpResponse<String> response = Failsafe.with(fallback, retryPolicy, circuitBreaker, tokenPolicy)
 *         .get(tokenPolicy.withToken(token -> client.send(request(token), BodyHandlers.ofString())));
 * }</pre>
 *
 * <p><b>Where it goes.</b> Put it innermost (last in {@code Failsafe.with(...)}), so one attempt of an outer
 * {@code RetryPolicy} covers the refresh and the replay, a {@code CircuitBreaker} counts an attempt once, and a
 * {@code Timeout} bounds the refresh too.
 *
 * <p><b>How the function gets the token.</b> Failsafe's suppliers do not take a token, so the policy binds it to
 * the execution for the length of each attempt: wrap the function with {@link #withToken(CheckedFunction)} or
 * {@link #withTokenAsync(CheckedFunction)}, or read it yourself with {@link #token(ExecutionContext)} from a
 * {@link ContextualSupplier}.
 *
 * <p><b>Rejections.</b> An attempt rejected the token when the function threw
 * {@link io.github.tokenrefresh.TokenRejectedException}, or when its result or exception matches a condition given
 * to the builder's {@code handle…} methods (Failsafe's way of saying which outcomes a policy handles). A rejection
 * the policy may not replay (it already used {@link io.github.tokenrefresh.TokenRefreshConfig#getMaxReplays()})
 * ends the way the core's contract says: an exception rejection becomes
 * {@link io.github.tokenrefresh.ReplayRefusedException}, a rejected result is returned as it is. When no token can
 * be had, the execution fails with the core's {@link io.github.tokenrefresh.TokenRefreshException}, which tells an
 * outer policy whether retrying may help (see {@link io.github.tokenrefresh.TokenFailures}).
 *
 * <p><b>Events.</b> The builder's {@code onSuccess} listener hears of executions whose token was accepted,
 * {@code onFailure} of executions that got no token or whose token stayed rejected; {@code onReplay} hears of each
 * replay. The core policy's own events and metrics see every refresh and replay as well.
 *
 * <p><b>Cancellation.</b> Cancelling the execution (its future, its {@code Call}, or an outer {@code Timeout}) stops
 * the attempt in progress and any replay, never a refresh that other callers share.
 *
 * <p>Works with {@code get}, {@code run}, {@code getAsync}, {@code runAsync}, {@code getStageAsync} and
 * {@code newCall}. Not with {@code getAsyncExecution}/{@code runAsyncExecution}, whose results are recorded outside
 * the chain so the policy cannot tell which token they were sent with: such executions fail with
 * {@link UnsupportedOperationException}.
 *
 * <p>Written and tested against the policy SPI ({@code dev.failsafe.spi}) of Failsafe 3.3.2, the version this
 * library's BOM manages; another Failsafe version may run executions differently, so use that one. Failsafe is an
 * optional dependency of this library: add it to use this package. Instances are immutable and thread-safe; one
 * instance may serve any number of concurrent executions.
 *
 * @param <R> the result type of the executions
 */
public interface TokenPolicy<R> extends Policy<R> {

    /**
     * Starts a builder for a policy that takes its tokens from {@code tokenRefreshPolicy}.
     *
     * @param tokenRefreshPolicy the policy that owns, refreshes and counts the token
     * @param <R> the result type
     * @return a builder
     * @throws NullPointerException if {@code tokenRefreshPolicy} is null
     */
    static <R> TokenPolicyBuilder<R> builder(TokenRefreshPolicy tokenRefreshPolicy) {
        return new TokenPolicyBuilder<>(tokenRefreshPolicy);
    }

    /**
     * Creates a policy that treats only {@link io.github.tokenrefresh.TokenRejectedException} as a rejection.
     *
     * @param tokenRefreshPolicy the policy that owns the token
     * @param <R> the result type
     * @return the policy
     * @throws NullPointerException if {@code tokenRefreshPolicy} is null
     */
    static <R> TokenPolicy<R> of(TokenRefreshPolicy tokenRefreshPolicy) {
        return TokenPolicy.<R>builder(tokenRefreshPolicy).build();
    }

    /**
     * Returns the configuration the policy was built with.
     *
     * @return the configuration
     */
    @Override
    TokenPolicyConfig<R> getConfig();

    /**
     * Returns the token of the attempt that runs {@code context}: what a {@link ContextualSupplier} passed to a
     * Failsafe executor calls to learn which token to send. Call it while the attempt runs, from any thread.
     *
     * @param context the context Failsafe passed to the function
     * @return the token to send in this attempt
     * @throws IllegalStateException if no attempt of this policy is running for {@code context}, for example
     *         because the executor's policies do not include this policy
     * @throws NullPointerException if {@code context} is null
     */
    AccessToken token(ExecutionContext<?> context);

    /**
     * Adapts a function of the token to the supplier Failsafe's {@code get}, {@code getAsync} and {@code newCall}
     * take. The function may throw {@link io.github.tokenrefresh.TokenRejectedException} to report a rejection.
     *
     * @param call receives the token of the attempt
     * @return a supplier for an executor whose policies include this one
     * @throws NullPointerException if {@code call} is null
     */
    ContextualSupplier<R, R> withToken(CheckedFunction<? super AccessToken, ? extends R> call);

    /**
     * Adapts an asynchronous function of the token to the supplier Failsafe's {@code getStageAsync} takes. The stage
     * may complete exceptionally with {@link io.github.tokenrefresh.TokenRejectedException} to report a rejection.
     * Cancelling the execution cancels the stage if it is a {@link java.util.concurrent.Future}.
     *
     * @param call receives the token of the attempt and starts the asynchronous call
     * @return a supplier of the stage for an executor whose policies include this one
     * @throws NullPointerException if {@code call} is null
     */
    ContextualSupplier<R, CompletionStage<R>> withTokenAsync(
            CheckedFunction<? super AccessToken, ? extends CompletionStage<R>> call);
}
