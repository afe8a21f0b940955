package io.github.tokenrefresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link TokenGrant} whose token endpoint call runs through a decorator, so a Resilience4j {@code Retry} or
 * {@code CircuitBreaker} (or any other {@code Supplier<CompletionStage>} decorator) guards the refresh itself,
 * apart from the calls to resource servers:
 *
 * <pre>{@code
 * TokenGrant guarded = DecoratedTokenGrant.builder(grant)
 *         .decorator(call -> Decorators.ofCompletionStage(call)
 *                 .withCircuitBreaker(tokenEndpointBreaker)
 *                 .withRetry(tokenEndpointRetry, scheduler)
 *                 .decorate())
 *         .retryAfter(failure -> failure instanceof CallNotPermittedException
 *                 ? Optional.of(breakerWaitInOpenState) : Optional.empty())
 *         .build();
 * }</pre>
 *
 * <p><b>Staying within the refresh timeout.</b> Each refresh is one call of {@link #requestTokens(GrantRequest)}.
 * The decorator may call the underlying grant several times (a retry); every such attempt gets a
 * {@link GrantRequest} whose {@link GrantRequest#timeout() timeout} is what is left of the policy's timeout, so the
 * HTTP exchange of a late attempt is cut short, and an attempt that would start after the timeout has passed fails
 * at once with {@link TokenEndpointUnavailableException} without calling the endpoint. When the timeout passes, the
 * refresh fails with that exception even if the decorator still means to retry, so the policy backs off on its own
 * schedule. Keep the decorator's waits well inside {@link TokenRefreshConfig#getRefreshTimeout()}.
 *
 * <p><b>Agreeing with the policy's backoff.</b> Whatever the decorated call fails with reaches the policy, which
 * classifies it: a breaker's "call not permitted" is a transient failure, so the policy keeps serving a still-valid
 * token and backs off. Give {@link Builder#retryAfter(Function)} a rule that says how long such a failure lasts
 * (for an open breaker, until it lets a trial call through) and the policy waits exactly that long instead of its
 * own exponential delay, so the two neither hammer an open breaker nor sleep past its half-open moment.
 *
 * <p>Instances are immutable and thread-safe if the decorator is; the policy calls a grant from one thread at a
 * time.
 */
public final class DecoratedTokenGrant implements TokenGrant {

    private static final Logger LOG = LoggerFactory.getLogger(DecoratedTokenGrant.class);

    private final TokenGrant grant;
    private final UnaryOperator<Supplier<CompletionStage<TokenResponse>>> decorator;
    private final Function<? super Throwable, Optional<Duration>> retryAfter;

    private DecoratedTokenGrant(Builder builder) {
        this.grant = builder.grant;
        this.decorator = builder.decorator;
        this.retryAfter = builder.retryAfter;
    }

    /**
     * Decorates {@code grant}'s token endpoint call with {@code decorator} and no {@code Retry-After} rule.
     *
     * @param grant the grant whose calls are guarded
     * @param decorator turns the call of one attempt into the guarded call
     * @return the decorated grant
     * @throws NullPointerException if an argument is null
     */
    public static DecoratedTokenGrant of(TokenGrant grant,
            UnaryOperator<Supplier<CompletionStage<TokenResponse>>> decorator) {
        return builder(grant).decorator(decorator).build();
    }

    /**
     * Starts a builder.
     *
     * @param grant the grant whose calls are guarded
     * @return a builder; without a decorator the grant is called as is
     * @throws NullPointerException if {@code grant} is null
     */
    public static Builder builder(TokenGrant grant) {
        return new Builder(grant);
    }

    /**
     * Runs the decorated call for one refresh.
     *
     * @param request what the policy asks
     * @return a stage completing with the underlying grant's answer, or exceptionally with what the decorated call
     *         failed with; a failure that the {@code retryAfter} rule recognises becomes a
     *         {@link TokenEndpointUnavailableException} carrying that delay
     */
    @Override
    public CompletionStage<TokenResponse> requestTokens(GrantRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        long deadline = System.nanoTime() + request.timeout().toNanos();
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletionStage<TokenResponse>> attempt = () -> attempt(request, deadline, attempts.getAndIncrement());

        CompletionStage<TokenResponse> answer;
        try {
            answer = Objects.requireNonNull(decorator.apply(attempt), "the decorator returned a null supplier").get();
            Objects.requireNonNull(answer, "the decorated call returned a null stage");
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }

        // The refresh ends at the deadline even while the decorator still waits to retry: the policy can then back
        // off on its own schedule, and the decorator's late attempts fail without calling the endpoint.
        CompletableFuture<TokenResponse> bounded = new CompletableFuture<>();
        answer.whenComplete((response, failure) -> {
            if (failure == null) {
                bounded.complete(response);
            } else {
                bounded.completeExceptionally(translate(request, TokenFailures.unwrap(failure)));
            }
        });
        long remaining = deadline - System.nanoTime();
        if (!bounded.isDone()) {
            CompletableFuture.delayedExecutor(Math.max(0, remaining), TimeUnit.NANOSECONDS, Runnable::run).execute(() ->
                    bounded.completeExceptionally(new TokenEndpointUnavailableException("Policy '"
                            + request.policyName() + "': the decorated grant did not finish within the refresh "
                            + "timeout of " + request.timeout() + " (" + attempts.get() + " attempt(s))", 0, null,
                            null)));
        }
        return bounded;
    }

    private CompletionStage<TokenResponse> attempt(GrantRequest request, long deadline, int previous) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            // Nobody waits for this refresh any more; calling the endpoint now would only add load.
            return CompletableFuture.failedFuture(new TokenEndpointUnavailableException("Policy '"
                    + request.policyName() + "': the decorated grant used up the refresh timeout of "
                    + request.timeout() + " after " + previous + " attempt(s); not calling the token endpoint again",
                    0, null, null));
        }
        GrantRequest narrowed = new GrantRequest(request.policyName(), request.current().orElse(null),
                request.trigger(), Duration.ofNanos(remaining));
        try {
            return Objects.requireNonNull(grant.requestTokens(narrowed), "the grant returned a null stage");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Throwable translate(GrantRequest request, Throwable failure) {
        if (failure instanceof TokenRefreshException) {
            return failure;
        }
        Optional<Duration> hint;
        try {
            hint = retryAfter.apply(failure);
        } catch (RuntimeException e) {
            LOG.warn("Policy '{}': the retryAfter rule of a DecoratedTokenGrant failed; the policy uses its own "
                    + "backoff", request.policyName(), e);
            return failure;
        }
        if (hint == null || hint.isEmpty()) {
            return failure;
        }
        Duration delay = hint.get().isNegative() ? Duration.ZERO : hint.get();
        return new TokenEndpointUnavailableException("Policy '" + request.policyName() + "': the guarded token "
                + "endpoint call failed fast (" + failure.getClass().getSimpleName() + "); the guard allows a new "
                + "try in " + delay.toMillis() + " ms", 0, delay, failure);
    }

    @Override
    public String toString() {
        return "DecoratedTokenGrant[" + grant + ']';
    }

    /**
     * Builds a {@link DecoratedTokenGrant}. Not thread-safe.
     */
    public static final class Builder {

        private final TokenGrant grant;
        private UnaryOperator<Supplier<CompletionStage<TokenResponse>>> decorator = UnaryOperator.identity();
        private Function<? super Throwable, Optional<Duration>> retryAfter = failure -> Optional.empty();

        private Builder(TokenGrant grant) {
            this.grant = Objects.requireNonNull(grant, "grant must not be null");
        }

        /**
         * Sets how one refresh's token endpoint call is guarded. The decorator is applied once per refresh to a
         * supplier that runs one attempt; it may call that supplier several times.
         *
         * @param decorator for example {@code call -> Retry.decorateCompletionStage(retry, scheduler, call)}
         * @return this builder
         * @throws NullPointerException if {@code decorator} is null
         */
        public Builder decorator(UnaryOperator<Supplier<CompletionStage<TokenResponse>>> decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator must not be null");
            return this;
        }

        /**
         * Sets which failures of the decorator itself tell when to try again, such as a circuit breaker refusing the
         * call while it is open. Such a failure reaches the policy as a {@link TokenEndpointUnavailableException}
         * whose {@link TokenEndpointUnavailableException#retryAfter()} is the given delay, and the policy's next
         * refresh waits exactly that long. The rule is not asked about the library's own
         * {@link TokenRefreshException}s, which already carry their classification.
         *
         * @param retryAfter returns the delay for a failure it recognises, empty otherwise; if it throws, the failure
         *                   reaches the policy unchanged and a warning is logged
         * @return this builder
         * @throws NullPointerException if {@code retryAfter} is null
         */
        public Builder retryAfter(Function<? super Throwable, Optional<Duration>> retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter must not be null");
            return this;
        }

        /**
         * Builds the grant.
         *
         * @return the decorated grant
         */
        public DecoratedTokenGrant build() {
            return new DecoratedTokenGrant(this);
        }
    }
}
