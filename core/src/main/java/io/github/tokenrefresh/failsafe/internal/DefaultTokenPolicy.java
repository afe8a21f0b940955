package io.github.tokenrefresh.failsafe.internal;

import dev.failsafe.ExecutionContext;
import dev.failsafe.event.EventListener;
import dev.failsafe.event.ExecutionAttemptedEvent;
import dev.failsafe.function.CheckedBiPredicate;
import dev.failsafe.function.CheckedFunction;
import dev.failsafe.function.ContextualSupplier;
import dev.failsafe.spi.ExecutionInternal;
import dev.failsafe.spi.ExecutionResult;
import dev.failsafe.spi.FailurePolicy;
import dev.failsafe.spi.PolicyExecutor;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.TokenRejectedException;
import io.github.tokenrefresh.failsafe.TokenPolicy;
import io.github.tokenrefresh.failsafe.TokenPolicyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TokenPolicy} behind the builder: decides what is a rejection and keeps the token of each running
 * attempt where {@link #token(ExecutionContext)} finds it.
 *
 * <p>Attempts are keyed by the execution's lock object, which Failsafe shares between an execution and every copy
 * it makes for a later attempt (its own retries and this policy's replays), so the lookup works wherever the
 * function runs in the chain. Each attempt binds a fresh {@link Binding} and removes only that one, so an attempt
 * abandoned by an outer timeout cannot unbind the attempt that replaced it.
 *
 * @param <R> the result type
 */
public final class DefaultTokenPolicy<R> implements TokenPolicy<R>, FailurePolicy<R> {

    private static final Logger LOG = LoggerFactory.getLogger(TokenPolicy.class);

    private final TokenPolicyConfig<R> config;
    private final Map<Object, Binding> bindings = new ConcurrentHashMap<>();

    /**
     * Creates the policy.
     *
     * @param config its configuration, not shared with a builder
     */
    public DefaultTokenPolicy(TokenPolicyConfig<R> config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public TokenPolicyConfig<R> getConfig() {
        return config;
    }

    @Override
    public PolicyExecutor<R> toExecutor(int policyIndex) {
        return new TokenPolicyExecutor<>(this, policyIndex);
    }

    /**
     * Tells whether an outcome rejected the token it was sent with: a {@link TokenRejectedException}, or any
     * configured condition. Unconfigured exceptions are not rejections.
     */
    @Override
    public boolean isFailure(R result, Throwable exception) {
        if (TokenFailures.unwrap(exception) instanceof TokenRejectedException) {
            return true;
        }
        for (CheckedBiPredicate<R, Throwable> condition : config.getFailureConditions()) {
            try {
                if (condition.test(result, exception)) {
                    return true;
                }
            } catch (Throwable ignored) {
                // A condition that cannot decide does not make a rejection, as in Failsafe's own policies.
            }
        }
        return false;
    }

    boolean isRejection(ExecutionResult<R> result) {
        return result != null && !result.isNonResult() && isFailure(result.getResult(), result.getException());
    }

    @Override
    public AccessToken token(ExecutionContext<?> context) {
        Objects.requireNonNull(context, "context must not be null");
        Binding binding = bindings.get(key(context));
        if (binding == null) {
            throw new IllegalStateException("No token is bound to this execution: run the function through a "
                    + "Failsafe executor whose policies include this TokenPolicy, and read the token while its "
                    + "attempt runs");
        }
        return binding.token;
    }

    @Override
    public ContextualSupplier<R, R> withToken(CheckedFunction<? super AccessToken, ? extends R> call) {
        Objects.requireNonNull(call, "call must not be null");
        return context -> call.apply(token(context));
    }

    @Override
    public ContextualSupplier<R, CompletionStage<R>> withTokenAsync(
            CheckedFunction<? super AccessToken, ? extends CompletionStage<R>> call) {
        Objects.requireNonNull(call, "call must not be null");
        return context -> call.apply(token(context));
    }

    Binding bind(ExecutionContext<R> execution, AccessToken token) {
        Object key = key(execution);
        Binding binding = new Binding(key, token);
        bindings.put(key, binding);
        return binding;
    }

    void unbind(Binding binding) {
        bindings.remove(binding.key, binding);
    }

    void replaying(ExecutionResult<R> rejected, ExecutionContext<R> context) {
        EventListener<ExecutionAttemptedEvent<R>> listener = config.getReplayListener();
        if (listener == null) {
            return;
        }
        try {
            listener.accept(new ExecutionAttemptedEvent<>(rejected.getResult(), rejected.getException(), context));
        } catch (Throwable e) {
            LOG.warn("A replay listener of the TokenPolicy of '{}' failed", config.getTokenRefreshPolicy().getName(),
                    e);
        }
    }

    /** How many attempts hold a token now; for tests that check nothing leaks. */
    int boundAttempts() {
        return bindings.size();
    }

    private static Object key(ExecutionContext<?> context) {
        return context instanceof ExecutionInternal ? ((ExecutionInternal<?>) context).getLock() : context;
    }

    @Override
    public String toString() {
        return "TokenPolicy[" + config.getTokenRefreshPolicy().getName() + ']';
    }

    /** One attempt's token. Identity matters: removal takes exactly the binding that was put. */
    static final class Binding {

        final Object key;
        final AccessToken token;

        Binding(Object key, AccessToken token) {
            this.key = key;
            this.token = token;
        }
    }
}
