package io.github.tokenrefresh.failsafe.internal;

import dev.failsafe.spi.ExecutionResult;

/**
 * Carries an attempt's Failsafe result through the core policy's {@code execute}, which must see it fail (so its
 * metrics count a failed call and it does not replay) while the executor needs the result back unchanged. Never
 * escapes the executor; no stack trace, since it is control flow.
 */
final class AttemptOutcome extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ExecutionResult<?> result;

    AttemptOutcome(ExecutionResult<?> result) {
        super("attempt outcome", null, false, false);
        this.result = result;
    }

    /** The attempt's result; null when the execution was cancelled and has no result. */
    @SuppressWarnings("unchecked")
    <R> ExecutionResult<R> result() {
        return (ExecutionResult<R>) result;
    }
}
