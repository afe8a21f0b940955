package io.github.tokenrefresh.micrometer.internal;

import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.event.RefreshOutcome;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Classifies how a grant call ended, by the rules the policy applies to the same failure, so an observation and the
 * refresh timer put one refresh under the same {@code outcome}.
 */
public final class RefreshOutcomes {

    private RefreshOutcomes() {
    }

    /**
     * Returns the outcome of a grant call.
     *
     * @param response what the grant's stage completed with, or null
     * @param failure what it failed with, possibly wrapped by {@link java.util.concurrent.CompletableFuture}, or
     *                null
     * @return {@code success} for a response; {@code rejected}, {@code protocol_error} or
     *         {@code transient_failure} for a failure; {@code protocol_error} for a stage completed with neither,
     *         which the policy treats as a malformed answer
     */
    public static RefreshOutcome of(Object response, Throwable failure) {
        if (failure == null) {
            return response == null ? RefreshOutcome.PROTOCOL_ERROR : RefreshOutcome.SUCCESS;
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof ReauthenticationRequiredException) {
            return RefreshOutcome.REJECTED;
        }
        if (cause instanceof TokenEndpointProtocolException) {
            return RefreshOutcome.PROTOCOL_ERROR;
        }
        // The policy backs off on everything else, the unexpected included.
        return RefreshOutcome.TRANSIENT_FAILURE;
    }

    /**
     * Strips the wrappers {@link java.util.concurrent.CompletableFuture} adds around a failure.
     *
     * @param failure a failure
     * @return the innermost failure that is not such a wrapper
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
