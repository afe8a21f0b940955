package io.github.tokenrefresh.failsafe.internal;

import dev.failsafe.spi.AsyncExecutionInternal;
import dev.failsafe.spi.ExecutionInternal;
import dev.failsafe.spi.ExecutionResult;
import dev.failsafe.spi.FailsafeFuture;
import dev.failsafe.spi.PolicyExecutor;
import dev.failsafe.spi.Scheduler;
import dev.failsafe.spi.SyncExecutionInternal;
import io.github.tokenrefresh.AccessToken;
import io.github.tokenrefresh.AsyncAuthorizedCall;
import io.github.tokenrefresh.AuthorizedCall;
import io.github.tokenrefresh.TokenFailures;
import io.github.tokenrefresh.TokenRefreshPolicy;
import io.github.tokenrefresh.TokenRejectedException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one execution of a {@link DefaultTokenPolicy}: the core policy's {@code execute}/{@code executeAsync} does
 * the token work (acquire, keyed refresh, replay count, events, metrics, loop guard), and every send it asks for is
 * one Failsafe attempt of the inner chain with the token bound to it.
 *
 * <p>A replay is a new attempt: like Failsafe's retries it runs on a copy of the execution, so attempt counts,
 * cancellation by an outer timeout and {@code onCancel} callbacks apply to it; asynchronous replays run on the
 * executor's scheduler, never on the thread that completed the refresh.
 *
 * @param <R> the result type
 */
final class TokenPolicyExecutor<R> extends PolicyExecutor<R> {

    private final DefaultTokenPolicy<R> policy;
    private final TokenRefreshPolicy tokens;

    TokenPolicyExecutor(DefaultTokenPolicy<R> policy, int policyIndex) {
        super(policy, policyIndex);
        this.policy = policy;
        this.tokens = policy.getConfig().getTokenRefreshPolicy();
    }

    /** A failure for this policy's listeners: no token could be had, or the token stayed rejected. */
    @Override
    protected boolean isFailure(ExecutionResult<R> result) {
        if (result.isNonResult()) {
            return false;
        }
        return TokenFailures.isTokenFailure().test(result.getException()) || policy.isRejection(result);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Synchronous executions

    @Override
    public Function<SyncExecutionInternal<R>, ExecutionResult<R>> apply(
            Function<SyncExecutionInternal<R>, ExecutionResult<R>> innerFn, Scheduler scheduler) {
        return execution -> {
            SyncAttempts attempts = new SyncAttempts(execution, innerFn);
            ExecutionResult<R> result;
            // Waiting for a token is interruptible like an attempt: a Timeout with interrupt or a Call cancelled
            // with interrupt ends the wait (never the refresh, which goes on for the other callers).
            execution.setInterruptable(true);
            try {
                result = tokens.execute(attempts);
            } catch (AttemptOutcome outcome) {
                result = outcome.result();
            } catch (RuntimeException e) {
                SyncExecutionInternal<R> latest = attempts.execution;
                if (!latest.isPreExecuted()) {
                    // No attempt ran; start the clock as Failsafe does for a short-circuited execution.
                    latest.preExecute();
                }
                result = ExecutionResult.exception(latest.isCancelled() ? cancelled(e) : e);
            } finally {
                SyncExecutionInternal<R> latest = attempts.execution;
                synchronized (latest.getLock()) {
                    latest.setInterruptable(false);
                    if (latest.isInterrupted()) {
                        // The interrupt was Failsafe's own: clear it, as Failsafe does after an attempt.
                        Thread.interrupted();
                    }
                }
            }

            SyncExecutionInternal<R> latest = attempts.execution;
            if (latest.isCancelled(this)) {
                return result;
            }
            return postExecute(latest, result);
        };
    }

    private static CancellationException cancelled(Throwable cause) {
        CancellationException cancelled = new CancellationException("The execution was cancelled while it waited "
                + "for a token");
        cancelled.initCause(cause);
        return cancelled;
    }

    /** The sends of one synchronous execution; the core policy calls them one after another on one thread. */
    private final class SyncAttempts implements AuthorizedCall<ExecutionResult<R>, RuntimeException> {

        private final Function<SyncExecutionInternal<R>, ExecutionResult<R>> innerFn;
        SyncExecutionInternal<R> execution;
        private ExecutionResult<R> previous;

        SyncAttempts(SyncExecutionInternal<R> execution, Function<SyncExecutionInternal<R>, ExecutionResult<R>> inner) {
            this.execution = execution;
            this.innerFn = inner;
        }

        @Override
        public ExecutionResult<R> send(AccessToken token, int replay) {
            if (replay > 0) {
                // Same guard as Failsafe's own retries: an outer Timeout may be cancelling the latest attempt.
                synchronized (execution.getLock()) {
                    if (execution.isCancelled(TokenPolicyExecutor.this)) {
                        throw new AttemptOutcome(previous);
                    }
                    execution = execution.copy();
                }
                policy.replaying(previous, execution);
            } else if (execution.isCancelled()) {
                // Cancelled while it waited for the token: the function must not run at all.
                throw new AttemptOutcome(ExecutionResult.exception(cancelled(null)));
            }

            DefaultTokenPolicy.Binding binding = policy.bind(execution, token);
            ExecutionResult<R> result;
            try {
                result = innerFn.apply(execution);
            } finally {
                policy.unbind(binding);
                // The attempt made the execution uninterruptible; the wait for a replay's token is not.
                execution.setInterruptable(true);
            }
            previous = result;
            return judge(execution, result);
        }

        @Override
        public boolean isTokenRejected(ExecutionResult<R> result) {
            return policy.isRejection(result);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Asynchronous executions

    @Override
    public Function<AsyncExecutionInternal<R>, CompletableFuture<ExecutionResult<R>>> applyAsync(
            Function<AsyncExecutionInternal<R>, CompletableFuture<ExecutionResult<R>>> innerFn, Scheduler scheduler,
            FailsafeFuture<R> future) {
        return execution -> {
            CompletableFuture<ExecutionResult<R>> promise = new CompletableFuture<>();
            if (execution.isAsyncExecution()) {
                execution.preExecute();
                promise.complete(ExecutionResult.exception(new UnsupportedOperationException("A TokenPolicy cannot "
                        + "run getAsyncExecution/runAsyncExecution, whose results are recorded outside the chain; "
                        + "use getStageAsync with TokenPolicy.withTokenAsync instead")));
                return promise;
            }

            AsyncAttempts attempts = new AsyncAttempts(execution, innerFn, scheduler, future);
            synchronized (future) {
                if (future.isDone()) {
                    promise.complete(null);
                    return promise;
                }
                // Outer cancellation reaches the send in progress; the core never lets it reach a shared refresh.
                future.setCancelFn(this, (mayInterrupt, cancelResult) -> {
                    promise.complete(cancelResult);
                    attempts.cancel(mayInterrupt);
                });
            }

            CompletableFuture<ExecutionResult<R>> call = tokens.executeAsync(attempts);
            attempts.started(call);
            call.whenComplete((result, failure) -> {
                if (promise.isDone()) {
                    return;
                }
                AsyncExecutionInternal<R> latest = attempts.execution;
                ExecutionResult<R> outcome = failure == null ? result : outcomeOf(latest, failure);
                if (outcome == null || latest.isCancelled(this)) {
                    promise.complete(outcome);
                    return;
                }
                postExecuteAsync(latest, outcome, scheduler, future).whenComplete((post, error) -> {
                    if (error != null) {
                        promise.completeExceptionally(error);
                    } else {
                        promise.complete(post);
                    }
                });
            });
            return promise;
        };
    }

    private ExecutionResult<R> outcomeOf(ExecutionInternal<R> execution, Throwable failure) {
        Throwable cause = TokenFailures.unwrap(failure);
        if (cause instanceof AttemptOutcome) {
            return ((AttemptOutcome) cause).result();
        }
        if (cause instanceof CancellationException) {
            return null;
        }
        if (!execution.isPreExecuted()) {
            execution.preExecute();
        }
        return ExecutionResult.exception(cause);
    }

    /** The sends of one asynchronous execution; the core policy never runs two of them at once. */
    private final class AsyncAttempts implements AsyncAuthorizedCall<ExecutionResult<R>> {

        private final Function<AsyncExecutionInternal<R>, CompletableFuture<ExecutionResult<R>>> innerFn;
        private final Scheduler scheduler;
        private final FailsafeFuture<R> future;
        volatile AsyncExecutionInternal<R> execution;
        private volatile ExecutionResult<R> previous;
        private volatile CompletableFuture<ExecutionResult<R>> call;
        private volatile boolean cancelled;
        private volatile boolean mayInterrupt;

        AsyncAttempts(AsyncExecutionInternal<R> execution,
                Function<AsyncExecutionInternal<R>, CompletableFuture<ExecutionResult<R>>> innerFn,
                Scheduler scheduler, FailsafeFuture<R> future) {
            this.execution = execution;
            this.innerFn = innerFn;
            this.scheduler = scheduler;
            this.future = future;
        }

        void started(CompletableFuture<ExecutionResult<R>> call) {
            this.call = call;
            if (cancelled) {
                call.cancel(mayInterrupt);
            }
        }

        void cancel(boolean mayInterrupt) {
            this.mayInterrupt = mayInterrupt;
            this.cancelled = true;
            CompletableFuture<ExecutionResult<R>> current = call;
            if (current != null) {
                current.cancel(mayInterrupt);
            }
        }

        @Override
        public CompletionStage<ExecutionResult<R>> send(AccessToken token, int replay) {
            if (replay == 0) {
                if (execution.isCancelled()) {
                    // Cancelled while it waited for the token (an outer Timeout marks the execution before it
                    // tells the caller): the function must not run at all.
                    return CompletableFuture.failedFuture(
                            new AttemptOutcome(ExecutionResult.exception(cancelled(null))));
                }
                return attempt(execution, token);
            }

            CompletableFuture<ExecutionResult<R>> replayed = new CompletableFuture<>();
            AsyncExecutionInternal<R> next;
            // Lock order as in Failsafe's retries: the execution's lock, then the future.
            synchronized (execution.getLock()) {
                synchronized (future) {
                    if (future.isDone() || execution.isCancelled(TokenPolicyExecutor.this)) {
                        return CompletableFuture.failedFuture(new AttemptOutcome(previous));
                    }
                    next = execution.copy();
                    execution = next;
                    future.setExecution(next);
                    ExecutionResult<R> rejected = previous;
                    try {
                        Future<?> scheduled = scheduler.schedule(() -> {
                            policy.replaying(rejected, next);
                            try {
                                attempt(next, token).whenComplete((result, failure) -> {
                                    if (failure != null) {
                                        replayed.completeExceptionally(failure);
                                    } else {
                                        replayed.complete(result);
                                    }
                                });
                            } catch (RuntimeException | Error e) {
                                replayed.completeExceptionally(e);
                            }
                            return null;
                        }, 0, TimeUnit.NANOSECONDS);
                        future.setCancelFn(-1, (interrupt, cancelResult) -> scheduled.cancel(interrupt));
                    } catch (RuntimeException e) {
                        replayed.completeExceptionally(e);
                    }
                }
            }
            return replayed;
        }

        private CompletableFuture<ExecutionResult<R>> attempt(AsyncExecutionInternal<R> attempt, AccessToken token) {
            DefaultTokenPolicy.Binding binding = policy.bind(attempt, token);
            CompletableFuture<ExecutionResult<R>> inner;
            try {
                inner = innerFn.apply(attempt);
            } catch (RuntimeException | Error e) {
                policy.unbind(binding);
                throw e;
            }
            return inner.whenComplete((result, failure) -> policy.unbind(binding)).thenApply(result -> {
                previous = result;
                return judge(attempt, result);
            });
        }

        @Override
        public boolean isTokenRejected(ExecutionResult<R> result) {
            return policy.isRejection(result);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Turns one attempt's result into what the core policy expects of a send: the result itself when it succeeded
     * or rejected the token through its value, a {@link TokenRejectedException} when it rejected the token through
     * an exception (so a refused replay becomes the core's {@code ReplayRefusedException}), and an
     * {@link AttemptOutcome} for everything else, which the core must neither replay nor count as a success.
     */
    private ExecutionResult<R> judge(ExecutionInternal<R> execution, ExecutionResult<R> result) {
        if (result == null || execution.isCancelled(this)) {
            throw new AttemptOutcome(result);
        }
        Throwable failure = result.getException();
        if (policy.isRejection(result)) {
            if (failure == null) {
                return result;
            }
            throw rejectionSignal(failure);
        }
        if (failure != null) {
            throw new AttemptOutcome(result);
        }
        return result;
    }

    private static TokenRejectedException rejectionSignal(Throwable failure) {
        Throwable cause = TokenFailures.unwrap(failure);
        if (cause instanceof TokenRejectedException) {
            return (TokenRejectedException) cause;
        }
        TokenRejectedException signal = new TokenRejectedException("The call failed with "
                + cause.getClass().getName() + ", which the TokenPolicy's conditions mark as a token rejection");
        signal.initCause(cause);
        return signal;
    }
}
