package io.github.tokenrefresh;

/**
 * Why a call whose token was rejected was not sent again.
 */
public enum ReplayRefusal {

    /** The request cannot be sent twice, for example because its body was a one-shot stream. */
    NOT_REPLAYABLE,

    /** The call was already replayed {@link TokenRefreshConfig#getMaxReplays()} times. */
    REPLAY_LIMIT_REACHED
}
