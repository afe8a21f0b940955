package io.github.tokenrefresh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential value (access token, refresh token, client secret) that never shows itself by accident.
 *
 * <p>{@link #toString()} always answers {@code [redacted]}, so a secret that ends up in a log line, an exception
 * message or a debugger's variable view reveals nothing. The value is read only through {@link #reveal()}, which
 * makes every place that needs it easy to find.
 *
 * <p>Two secrets are equal when their values are equal; the comparison takes the same time wherever the values
 * differ. The hash code does not depend on the value.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Secret {

    private static final String REDACTED = "[redacted]";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a credential value.
     *
     * @param value the value; must not be empty
     * @return the secret
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is empty
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value must not be null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret value must not be empty");
        }
        return new Secret(value);
    }

    /**
     * Returns the value. Call this only where the value is sent on the wire.
     *
     * @return the credential value
     */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Secret)) {
            return false;
        }
        byte[] mine = value.getBytes(StandardCharsets.UTF_8);
        byte[] theirs = ((Secret) other).value.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(mine, theirs);
    }

    @Override
    public int hashCode() {
        return Secret.class.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
