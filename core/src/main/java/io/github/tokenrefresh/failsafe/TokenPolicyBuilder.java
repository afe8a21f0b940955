package io.github.tokenrefresh.failsafe;

import dev.failsafe.FailurePolicyBuilder;
import dev.failsafe.event.EventListener;
import dev.failsafe.event.ExecutionAttemptedEvent;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.failsafe.internal.DefaultTokenPolicy;

import java.util.Objects;

/**
 * Builds a {@link TokenPolicy}.
 *
 * <p>The inherited {@code handle}, {@code handleIf}, {@code handleResult} and {@code handleResultIf} say which
 * outcomes of an attempt are rejections of its token, in addition to
 * {@link io.github.tokenrefresh.TokenRejectedException}, which is always one. Unlike a {@code RetryPolicy}, a token
 * policy handles no other exception by default: an {@code IOException} from the function is passed on untouched,
 * and never costs a refresh. A typical condition for the JDK client:
 *
 * <pre>{@code
 * .handleResultIf(response -> BearerChallenge.isTokenRejection(response.statusCode(),
 *         response.headers().allValues("WWW-Authenticate")))
 * }</pre>
 *
 * <p>The inherited {@code onSuccess} and {@code onFailure} register listeners, see {@link TokenPolicy}.
 *
 * <p>Not thread-safe; a built policy is.
 *
 * @param <R> the result type
 */
public final class TokenPolicyBuilder<R>
        extends FailurePolicyBuilder<TokenPolicyBuilder<R>, TokenPolicyConfig<R>, R> {

    TokenPolicyBuilder(TokenRefreshPolicy tokenRefreshPolicy) {
        super(new TokenPolicyConfig<>(tokenRefreshPolicy));
    }

    /**
     * Registers a listener told before each replay, with the rejected attempt's result or exception and its
     * context. A listener that throws is logged and ignored.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public TokenPolicyBuilder<R> onReplay(EventListener<ExecutionAttemptedEvent<R>> listener) {
        config.replayListener = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Builds the policy. The builder may be changed and built again without affecting it.
     *
     * @return the policy
     */
    public TokenPolicy<R> build() {
        return new DefaultTokenPolicy<>(new TokenPolicyConfig<>(config));
    }
}
