package io.github.tokenrefresh;

import java.util.Locale;

/**
 * What made a policy ask the token endpoint for a new token.
 */
public enum RefreshTrigger {

    /** The policy had no token yet. */
    INITIAL,

    /** The token became stale or expired by the clock, before any server rejected it. */
    PROACTIVE,

    /** A resource server rejected the token (a 401), earlier than the clock said. */
    REACTIVE;

    /**
     * Returns the lowercase name used in metric tags and logs, such as {@code proactive}.
     *
     * @return the tag value
     */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
