package io.github.tokenrefresh.testing;

/**
 * How a token request authenticated its client, as {@link LoopbackTokenServer} saw it, named after
 * the {@code token_endpoint_auth_method} values of RFC 7591.
 *
 * <p>Thread-safety: immutable.
 */
public enum ClientAuthMethod {

    /** HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1). */
    CLIENT_SECRET_BASIC("client_secret_basic"),

    /** {@code client_id} and {@code client_secret} in the request body (RFC 6749 §2.3.1). */
    CLIENT_SECRET_POST("client_secret_post"),

    /** No secret at all: a public client sending only {@code client_id}, or no client identity. */
    NONE("none");

    private final String registeredName;

    ClientAuthMethod(String registeredName) {
        this.registeredName = registeredName;
    }

    /**
     * Returns the method's name as registered for OAuth2 client metadata.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return for example {@code client_secret_basic}
     */
    public String registeredName() {
        return registeredName;
    }
}
