package io.github.tokenrefresh.testing;

import com.sun.net.httpserver.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The clients a loopback token server knows, and how a request proves it is one of them. */
final class ClientRegistry {

    /** What a request presented as client credentials; never printed, as it holds a secret. */
    static final class Presented {

        final ClientAuthMethod method;
        final String clientId;
        final String basicSecret;
        final boolean basicMalformed;
        final boolean otherScheme;

        Presented(ClientAuthMethod method, String clientId, String basicSecret, boolean basicMalformed,
                boolean otherScheme) {
            this.method = method;
            this.clientId = clientId;
            this.basicSecret = basicSecret;
            this.basicMalformed = basicMalformed;
            this.otherScheme = otherScheme;
        }
    }

    // A null secret marks a public client.
    private final Map<String, String> secrets;

    ClientRegistry(Map<String, String> secrets) {
        this.secrets = new LinkedHashMap<>(secrets);
    }

    String firstClientId() {
        return secrets.keySet().iterator().next();
    }

    boolean isRegistered(String clientId) {
        return secrets.containsKey(clientId);
    }

    boolean isPublic(String clientId) {
        return secrets.get(clientId) == null;
    }

    static Presented presented(Headers headers, Form form) {
        String authorization = headers.getFirst("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return new Presented(ClientAuthMethod.NONE, form.get("client_id"), null, false, true);
            }
            return fromBasic(authorization.substring(6).trim());
        }

        String clientId = form.get("client_id");
        ClientAuthMethod method = form.has("client_secret")
                ? ClientAuthMethod.CLIENT_SECRET_POST : ClientAuthMethod.NONE;
        return new Presented(method, clientId, null, false, false);
    }

    /**
     * Checks the presented credentials and returns the authenticated client id.
     *
     * @throws TokenEndpointError invalid_request for two methods at once, invalid_client otherwise
     */
    String authenticate(Presented presented, Form form) throws TokenEndpointError {
        if (presented.otherScheme) {
            throw TokenEndpointError.invalidClient("only the Basic scheme authenticates a client here");
        }
        if (presented.basicMalformed) {
            throw TokenEndpointError.invalidClient("the Basic credentials are not base64 of id:secret");
        }
        if (presented.method == ClientAuthMethod.CLIENT_SECRET_BASIC && form.has("client_secret")) {
            throw TokenEndpointError.invalidRequest("more than one client authentication method was used");
        }
        if (presented.method == ClientAuthMethod.CLIENT_SECRET_BASIC && form.has("client_id")
                && !form.get("client_id").equals(presented.clientId)) {
            throw TokenEndpointError.invalidClient("client_id does not match the Basic credentials");
        }

        String clientId = presented.clientId;
        if (clientId == null || !secrets.containsKey(clientId)) {
            throw TokenEndpointError.invalidClient("unknown client or no client authentication");
        }

        String expected = secrets.get(clientId);
        String given = presented.method == ClientAuthMethod.CLIENT_SECRET_BASIC
                ? presented.basicSecret : form.get("client_secret");
        if (expected == null) {
            // Some clients send "id:" over Basic for a public client; an empty secret is no secret.
            if (given != null && !given.isEmpty()) {
                throw TokenEndpointError.invalidClient("a public client has no secret to present");
            }
            return clientId;
        }
        if (given == null || !MessageDigest.isEqual(bytes(expected), bytes(given))) {
            throw TokenEndpointError.invalidClient("client authentication failed");
        }
        return clientId;
    }

    private static Presented fromBasic(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return malformedBasic();
        }

        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return malformedBasic();
        }

        // RFC 6749 §2.3.1: both parts are form-encoded before they are joined and base64-encoded.
        try {
            String clientId = Form.decode(decoded.substring(0, colon));
            String secret = Form.decode(decoded.substring(colon + 1));
            return new Presented(ClientAuthMethod.CLIENT_SECRET_BASIC, clientId, secret, false, false);
        } catch (IllegalArgumentException e) {
            return malformedBasic();
        }
    }

    private static Presented malformedBasic() {
        return new Presented(ClientAuthMethod.CLIENT_SECRET_BASIC, null, null, true, false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
