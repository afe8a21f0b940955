package io.github.tokenrefresh.testing;

/** An RFC 6749 §5.2 error the loopback token endpoint answers with. */
final class TokenEndpointError extends Exception {

    private final int status;
    private final String error;
    private final String description;

    private TokenEndpointError(int status, String error, String description) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    static TokenEndpointError invalidRequest(String description) {
        return new TokenEndpointError(400, "invalid_request", description);
    }

    /** RFC 6749 §5.2 allows 400 here, but a 401 with a challenge is what clients must cope with. */
    static TokenEndpointError invalidClient(String description) {
        return new TokenEndpointError(401, "invalid_client", description);
    }

    static TokenEndpointError invalidGrant(String description) {
        return new TokenEndpointError(400, "invalid_grant", description);
    }

    static TokenEndpointError unauthorizedClient(String description) {
        return new TokenEndpointError(400, "unauthorized_client", description);
    }

    static TokenEndpointError unsupportedGrantType(String description) {
        return new TokenEndpointError(400, "unsupported_grant_type", description);
    }

    static TokenEndpointError invalidScope(String description) {
        return new TokenEndpointError(400, "invalid_scope", description);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return description;
    }
}
