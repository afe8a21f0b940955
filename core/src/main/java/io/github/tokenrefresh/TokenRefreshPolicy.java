package io.github.tokenrefresh;

import io.github.tokenrefresh.event.EventPublisher;
import io.github.tokenrefresh.internal.DefaultTokenRefreshPolicy;
import io.github.tokenrefresh.store.InMemoryTokenStore;
import io.github.tokenrefresh.store.TokenStore;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps one OAuth2 access token fresh and hands it to calls: attaches it, renews it with its {@link TokenGrant}
 * before it expires and when a resource server rejects it, and replays the rejected call once with the new token.
 *
 * <p><b>One refresh per expiry.</b> However many threads find the token stale, expired or rejected at once, exactly
 * one refresh runs and all of them share its result. A refresh is keyed by the token it replaces: a caller whose
 * request was rejected with a token that another caller has already replaced gets the newer token at once, with no
 * second refresh. A rotated refresh token is written to the {@link TokenStore} before any caller sees the new access
 * token.
 *
 * <p><b>The fresh path is lock-free.</b> While the token is fresh, getting it is one volatile read of an immutable
 * snapshot that already holds the {@code Authorization} header value: no lock, no clock read, no allocation, no
 * logging. The moments a token turns stale and expired are fired by timers on the configured scheduler instead of
 * being checked on every call; if a timer fires late (a suspended VM), the resource server's 401 starts the refresh
 * reactively.
 *
 * <p><b>Fresh, stale, expired.</b> A stale token is renewed in the background while every call keeps using it, so
 * nobody waits. An expired token makes calls wait for the renewal, at most {@link
 * TokenRefreshConfig#getRefreshTimeout()}. See {@link TokenRefreshConfig} for the thresholds.
 *
 * <p><b>Failures.</b> A grant refused for good puts the policy in the re-authentication-required state: calls fail
 * fast with {@link ReauthenticationRequiredException}, the token endpoint is not called again, until
 * {@link #supplyTokens(TokenSet)}. A transient failure (I/O, timeout, 5xx, 429) or a malformed answer keeps the
 * current token in use while it is valid and retries after a jittered backoff that honours {@code Retry-After}; once
 * the token has expired, calls fail fast with the retryable {@link TokenEndpointUnavailableException} until the
 * backoff has passed. Too many refreshes on rejection trip the loop guard ({@link RefreshLoopException}).
 *
 * <p><b>Decorating.</b> The {@code decorate…} methods return plain JDK functional types whose wrapped function
 * receives the token to use, so Resilience4j and Failsafe wrap them unchanged; put this policy innermost so one outer
 * retry covers refresh and replay. HTTP adapters use {@link #execute(AuthorizedCall)} and
 * {@link #executeAsync(AsyncAuthorizedCall)}, which also replay on a rejected response.
 *
 * <p>Instances are thread-safe. Close a policy you no longer use, so its timers stop renewing the token.
 */
public interface TokenRefreshPolicy extends AutoCloseable {

    /**
     * Creates a policy whose tokens live in memory.
     *
     * @param name the name, used in events, metrics and log lines
     * @param config the configuration
     * @param grant how new tokens are obtained
     * @return the policy; it obtains its first token on first use
     */
    static TokenRefreshPolicy of(String name, TokenRefreshConfig config, TokenGrant grant) {
        return of(name, config, grant, new InMemoryTokenStore(config.getClock()));
    }

    /**
     * Creates a policy that keeps its tokens in {@code store}, starting from what the store holds under
     * {@code name}.
     *
     * @param name the name, used in events, metrics, log lines and as the store key
     * @param config the configuration
     * @param grant how new tokens are obtained
     * @param store where tokens are kept
     * @return the policy
     */
    static TokenRefreshPolicy of(String name, TokenRefreshConfig config, TokenGrant grant, TokenStore store) {
        return new DefaultTokenRefreshPolicy(name, config, grant, store);
    }

    /**
     * Creates a policy with the default configuration and an in-memory store.
     *
     * @param name the name
     * @param grant how new tokens are obtained
     * @return the policy
     */
    static TokenRefreshPolicy ofDefaults(String name, TokenGrant grant) {
        return of(name, TokenRefreshConfig.ofDefaults(), grant);
    }

    /**
     * Returns the policy's name.
     *
     * @return the name
     */
    String getName();

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    TokenRefreshConfig getConfig();

    /**
     * Returns the publisher to register event consumers on.
     *
     * @return the event publisher
     */
    EventPublisher getEventPublisher();

    /**
     * Returns the policy's counters.
     *
     * @return the metrics view
     */
    Metrics getMetrics();

    /**
     * Returns the state the policy is in now, read with the clock.
     *
     * @return the state
     */
    State getState();

    /**
     * Returns the token set the policy holds, without waiting or refreshing. Useful to persist the refresh token
     * elsewhere; the set holds secrets.
     *
     * @return the current set, or empty before the first one
     */
    Optional<TokenSet> currentTokens();

    /**
     * Returns a token to send now: the current one if usable, otherwise the result of a refresh, waiting at most
     * {@link TokenRefreshConfig#getRefreshTimeout()}.
     *
     * @return the token
     * @throws ReauthenticationRequiredException if the grant was refused for good
     * @throws TokenEndpointUnavailableException if no token could be obtained for now
     * @throws TokenEndpointProtocolException if the token endpoint's answer was malformed
     * @throws IllegalStateException if the policy is closed
     */
    AccessToken acquireToken();

    /**
     * Returns a token to send, without blocking: completes at once while the token is usable, otherwise when the
     * refresh completes. Cancelling the returned future does not cancel the refresh other callers wait for.
     *
     * @return a future of the token, failing with the exceptions of {@link #acquireToken()}
     */
    CompletableFuture<AccessToken> acquireTokenAsync();

    /**
     * Returns a token to use instead of {@code rejected}, which a resource server refused. If {@code rejected} is
     * still the current token, one refresh runs (shared with every caller reporting the same token); if it was
     * already replaced, the newer token comes back at once.
     *
     * @param rejected the token the server refused
     * @return the token to replay with
     * @throws RefreshLoopException if the loop guard has tripped
     * @throws TokenRefreshException for the other failures of {@link #acquireToken()}
     */
    AccessToken refreshAfterRejection(AccessToken rejected);

    /**
     * The non-blocking twin of {@link #refreshAfterRejection(AccessToken)}.
     *
     * @param rejected the token the server refused
     * @return a future of the token to replay with
     */
    CompletableFuture<AccessToken> refreshAfterRejectionAsync(AccessToken rejected);

    /**
     * Installs tokens the application obtained itself, for example after the user logged in again. They are
     * stored with the next version and handed to calls from now on; a re-authentication-required or backing-off
     * policy becomes active again.
     *
     * @param tokens the new tokens; their version is replaced
     * @throws IllegalStateException if the policy is closed
     */
    void supplyTokens(TokenSet tokens);

    /**
     * Runs one call with the token, refreshing and replaying as {@link AuthorizedCall} describes.
     *
     * @param call the call
     * @param <R> the response type
     * @param <X> the checked exception the call may throw
     * @return the call's response; a rejected response when it could not be replayed
     * @throws X when the call throws it
     * @throws TokenRefreshException when no usable token could be obtained
     */
    <R, X extends Exception> R execute(AuthorizedCall<R, X> call) throws X;

    /**
     * Runs one asynchronous call with the token, refreshing and replaying as {@link AsyncAuthorizedCall}
     * describes. Never blocks the calling thread. Cancelling the returned future cancels the send in progress,
     * never a refresh other callers share.
     *
     * @param call the call
     * @param <R> the response type
     * @return a future of the call's response
     */
    <R> CompletableFuture<R> executeAsync(AsyncAuthorizedCall<R> call);

    /**
     * Stops the timers so the token is no longer renewed in the background; later calls fail with
     * {@link IllegalStateException}. A refresh in flight still completes and stores its tokens.
     */
    @Override
    void close();

    /**
     * Decorates a function of the token. The function may throw {@link TokenRejectedException} to have the policy
     * refresh and call it again.
     *
     * @param function receives the token to use
     * @param <T> the result type
     * @return a supplier running the function with the token
     */
    default <T> Supplier<T> decorateSupplier(Function<? super AccessToken, ? extends T> function) {
        FunctionCall<T, RuntimeException> call = new FunctionCall<>(function::apply);
        return () -> execute(call);
    }

    /**
     * Decorates a call of the token that may throw checked exceptions.
     *
     * @param callable receives the token to use
     * @param <T> the result type
     * @return a callable running it with the token
     */
    default <T> Callable<T> decorateCallable(TokenCallable<? extends T> callable) {
        FunctionCall<T, Exception> call = new FunctionCall<>(callable::call);
        return () -> execute(call);
    }

    /**
     * Decorates an action on the token.
     *
     * @param action receives the token to use
     * @return a runnable running it with the token
     */
    default Runnable decorateRunnable(Consumer<? super AccessToken> action) {
        FunctionCall<Void, RuntimeException> call = new FunctionCall<>(token -> {
            action.accept(token);
            return null;
        });
        return () -> execute(call);
    }

    /**
     * Decorates a function of an argument and the token.
     *
     * @param function receives the token to use and the argument
     * @param <A> the argument type
     * @param <T> the result type
     * @return a function running it with the token
     */
    default <A, T> Function<A, T> decorateFunction(BiFunction<? super AccessToken, ? super A, ? extends T> function) {
        return argument -> execute(new FunctionCall<T, RuntimeException>(token -> function.apply(token, argument)));
    }

    /**
     * Decorates an asynchronous call of the token. The stage may complete exceptionally with
     * {@link TokenRejectedException} to have the policy refresh and call again. Nothing blocks.
     *
     * @param function receives the token to use
     * @param <T> the result type
     * @return a supplier of the decorated stage
     */
    default <T> Supplier<CompletionStage<T>> decorateCompletionStage(
            Function<? super AccessToken, ? extends CompletionStage<T>> function) {
        return () -> executeAsync((token, replay) -> function.apply(token));
    }

    /**
     * Runs a function of the token now; see {@link #decorateSupplier(Function)}.
     *
     * @param function receives the token to use
     * @param <T> the result type
     * @return the function's result
     */
    default <T> T executeSupplier(Function<? super AccessToken, ? extends T> function) {
        return decorateSupplier(function).get();
    }

    /**
     * Runs a call of the token now; see {@link #decorateCallable(TokenCallable)}.
     *
     * @param callable receives the token to use
     * @param <T> the result type
     * @return the call's result
     * @throws Exception when the call throws
     */
    default <T> T executeCallable(TokenCallable<? extends T> callable) throws Exception {
        return decorateCallable(callable).call();
    }

    /**
     * Runs an action on the token now; see {@link #decorateRunnable(Consumer)}.
     *
     * @param action receives the token to use
     */
    default void executeRunnable(Consumer<? super AccessToken> action) {
        decorateRunnable(action).run();
    }

    /**
     * Runs an asynchronous call of the token now; see {@link #decorateCompletionStage(Function)}.
     *
     * @param function receives the token to use
     * @param <T> the result type
     * @return the decorated stage
     */
    default <T> CompletionStage<T> executeCompletionStage(
            Function<? super AccessToken, ? extends CompletionStage<T>> function) {
        return decorateCompletionStage(function).get();
    }

    /**
     * Where a policy stands, as {@link #getState()} reports it.
     */
    enum State {
        /** No token yet; the first call obtains one. */
        NO_TOKEN,
        /** The token is fresh. */
        FRESH,
        /** The token is stale and is being renewed in the background (or will be after the backoff). */
        STALE,
        /** The token has expired; calls wait for a refresh, or fail fast during a backoff. */
        EXPIRED,
        /** The grant was refused for good; calls fail until {@link #supplyTokens(TokenSet)}. */
        REAUTHENTICATION_REQUIRED,
        /** The policy was closed. */
        CLOSED
    }

    /**
     * Counters of a policy, for the metrics module and for tests. Counters only grow. Thread-safe; reading
     * them never blocks a call.
     */
    interface Metrics {

        /**
         * Returns the calls that succeeded with the token they started with.
         *
         * @return the count
         */
        long getNumberOfSuccessfulCallsWithoutRefresh();

        /**
         * Returns the calls that succeeded after waiting for a refresh or being replayed.
         *
         * @return the count
         */
        long getNumberOfSuccessfulCallsAfterRefresh();

        /**
         * Returns the calls that ended with an exception.
         *
         * @return the count
         */
        long getNumberOfFailedCalls();

        /**
         * Returns the calls whose token was rejected and that were not replayed.
         *
         * @return the count
         */
        long getNumberOfReplayRefusedCalls();

        /**
         * Returns how many replays were sent.
         *
         * @return the count
         */
        long getNumberOfReplays();

        /**
         * Returns how many callers waited for a refresh another caller had started.
         *
         * @return the count
         */
        long getNumberOfCoalescedCallers();

        /**
         * Returns how many times the loop guard tripped.
         *
         * @return the count
         */
        long getNumberOfLoopGuardTrips();

        /**
         * Returns how long the current access token has left, by the policy's clock.
         *
         * @return the time until expiry, negative once expired; empty without a token or a known expiry
         */
        Optional<Duration> getTimeUntilExpiry();

        /**
         * Tells whether the policy requires re-authentication.
         *
         * @return true after the grant was refused for good
         */
        boolean isReauthenticationRequired();
    }
}
