package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.Secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * How the client proves its identity to the token endpoint (RFC 6749 §2.3): {@code client_secret_basic},
 * {@code client_secret_post}, or none for a public client that only names itself.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the method and client id, never the secret.
 */
public final class ClientAuthentication {

    /**
     * The client authentication methods, named as in OAuth2 client metadata (RFC 7591 §2).
     */
    public enum Method {
        /** The client id and secret in an HTTP Basic {@code Authorization} header. */
        CLIENT_SECRET_BASIC,
        /** The client id and secret as form parameters. */
        CLIENT_SECRET_POST,
        /** A public client: the client id as a form parameter, no secret. */
        NONE
    }

    private final Method method;
    private final String clientId;
    private final Secret clientSecret;

    private ClientAuthentication(Method method, String clientId, Secret clientSecret) {
        Objects.requireNonNull(clientId, "clientId must not be null");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        this.method = method;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /**
     * Authenticates with HTTP Basic, the method every authorization server must support.
     *
     * @param clientId the client id
     * @param clientSecret the client secret
     * @return the authentication
     */
    public static ClientAuthentication clientSecretBasic(String clientId, Secret clientSecret) {
        return new ClientAuthentication(Method.CLIENT_SECRET_BASIC, clientId,
                Objects.requireNonNull(clientSecret, "clientSecret must not be null"));
    }

    /**
     * Authenticates with the id and secret in the form body.
     *
     * @param clientId the client id
     * @param clientSecret the client secret
     * @return the authentication
     */
    public static ClientAuthentication clientSecretPost(String clientId, Secret clientSecret) {
        return new ClientAuthentication(Method.CLIENT_SECRET_POST, clientId,
                Objects.requireNonNull(clientSecret, "clientSecret must not be null"));
    }

    /**
     * Identifies a public client, which has no secret.
     *
     * @param clientId the client id
     * @return the authentication
     */
    public static ClientAuthentication none(String clientId) {
        return new ClientAuthentication(Method.NONE, clientId, null);
    }

    /**
     * Returns the method.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * Returns the client id.
     *
     * @return the client id
     */
    public String clientId() {
        return clientId;
    }

    /**
     * Adds this authentication to a token request.
     *
     * @param headers the request headers to add to
     * @param form the form parameters to add to
     */
    void applyTo(Map<String, String> headers, Map<String, String> form) {
        switch (method) {
            case CLIENT_SECRET_BASIC:
                // RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded.
                String pair = formEncode(clientId) + ':' + formEncode(clientSecret.reveal());
                headers.put("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
                break;
            case CLIENT_SECRET_POST:
                form.put("client_id", clientId);
                form.put("client_secret", clientSecret.reveal());
                break;
            default:
                form.put("client_id", clientId);
                break;
        }
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientAuthentication[" + method.name().toLowerCase(java.util.Locale.ROOT) + ", clientId=" + clientId
                + ']';
    }
}
