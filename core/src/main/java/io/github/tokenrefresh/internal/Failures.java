package io.github.tokenrefresh.internal;

import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever a grant failed with into one of the policy's failure classes.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Strips the wrappers {@link java.util.concurrent.CompletableFuture} adds.
     *
     * @param failure a failure, possibly wrapped
     * @return the innermost meaningful failure
     */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Classifies a grant's failure. The library's own exceptions keep their class; I/O errors and timeouts are
     * transient; anything else is treated as transient too, because backing off is the safe answer to a surprise.
     *
     * @param failure what the grant failed with
     * @param policyName for the message
     * @return the classified failure
     */
    static TokenRefreshException classify(Throwable failure, String policyName) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TokenRefreshException) {
            return (TokenRefreshException) cause;
        }
        if (cause instanceof TimeoutException) {
            return new TokenEndpointUnavailableException("Policy '" + policyName
                    + "': the token endpoint did not answer in time", 0, null, cause);
        }
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            return new TokenEndpointUnavailableException("Policy '" + policyName
                    + "': the token endpoint could not be reached (" + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage() + ")", 0, null, cause);
        }
        return new TokenEndpointUnavailableException("Policy '" + policyName + "': the grant failed unexpectedly ("
                + cause.getClass().getName() + ")", 0, null, cause);
    }
}
