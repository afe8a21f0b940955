package io.github.tokenrefresh;

/**
 * A call signalled that its token was rejected (by throwing {@link TokenRejectedException}) but the policy did
 * not send it again: the call cannot be replayed, or it already used up
 * {@link TokenRefreshConfig#getMaxReplays()}.
 *
 * <p>The rejection is the cause. Calls that signal a rejection through their result (as the HTTP adapters do)
 * get that result back instead of this exception. Not retryable.
 */
public class ReplayRefusedException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final ReplayRefusal reason;

    /**
     * Creates the exception.
     *
     * @param message what happened; never a secret
     * @param reason why no replay happened
     * @param cause the rejection, or null
     */
    public ReplayRefusedException(String message, ReplayRefusal reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the call was not replayed.
     *
     * @return the reason
     */
    public ReplayRefusal reason() {
        return reason;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
