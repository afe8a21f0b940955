package io.github.tokenrefresh.event;

import java.util.Locale;

/**
 * How one call to the token endpoint ended; the {@code outcome} tag of refresh metrics.
 */
public enum RefreshOutcome {

    /** New tokens were stored and handed out. */
    SUCCESS,

    /** The endpoint was unavailable (I/O error, timeout, 5xx, 429); the policy backs off. */
    TRANSIENT_FAILURE,

    /** The grant was refused for good; re-authentication is required. */
    REJECTED,

    /** The endpoint's answer was malformed; the policy backs off. */
    PROTOCOL_ERROR;

    /**
     * Returns the lowercase name used as a tag value, such as {@code transient_failure}.
     *
     * @return the tag value
     */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
