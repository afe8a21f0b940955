package io.github.tokenrefresh.oauth2;

import io.github.tokenrefresh.TokenResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An authorization server's token endpoint as the grants use it: where it is, how the client authenticates, which
 * {@link TokenEndpointTransport} carries the request, and how large an answer may be.
 *
 * <p>{@link #exchange(Map, Duration)} posts a form (RFC 6749 §4.4, §6) and turns the answer into a
 * {@link TokenResponse} or one of the library's failure classes: {@code invalid_grant}, {@code invalid_client},
 * {@code unauthorized_client} and the other errors of §5.2 that no retry can cure become
 * {@link io.github.tokenrefresh.ReauthenticationRequiredException}; 408, 429, 5xx and
 * {@code temporarily_unavailable} become {@link io.github.tokenrefresh.TokenEndpointUnavailableException} with the
 * server's {@code Retry-After}; anything malformed becomes
 * {@link io.github.tokenrefresh.TokenEndpointProtocolException}. Immutable and thread-safe.
 */
public final class TokenEndpoint {

    /** Body cap: 64 KiB is far beyond any real token response, and far below what could hurt the heap. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI uri;
    private final ClientAuthentication clientAuthentication;
    private final TokenEndpointTransport transport;
    private final int maxResponseBytes;
    private final TokenResponseReader reader;

    private TokenEndpoint(Builder builder) {
        this.uri = builder.uri;
        this.clientAuthentication = builder.clientAuthentication;
        this.transport = builder.transport;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.reader = new TokenResponseReader(uri, maxResponseBytes, builder.clock);
    }

    /**
     * Starts a builder.
     *
     * @param uri the token endpoint: https, or http to a loopback host
     * @return a builder
     * @throws IllegalArgumentException if the URI is not absolute, not http(s), or plain http to a remote host
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Returns the token endpoint's URI.
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns how the client authenticates.
     *
     * @return the client authentication
     */
    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /**
     * Returns the most body bytes an answer may have.
     *
     * @return the cap
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * Posts a token request and interprets the answer.
     *
     * @param parameters the grant's form parameters, such as {@code grant_type} and {@code refresh_token}; client
     *                   authentication is added here
     * @param timeout how long the exchange may take
     * @return a stage completing with the token response, or exceptionally with a
     *         {@link io.github.tokenrefresh.TokenRefreshException} or the transport's I/O failure
     */
    public CompletionStage<TokenResponse> exchange(Map<String, String> parameters, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        headers.put("Accept", "application/json");
        Map<String, String> form = new LinkedHashMap<>(parameters);
        clientAuthentication.applyTo(headers, form);

        TokenEndpointRequest request = new TokenEndpointRequest(uri, headers, encode(form), timeout, maxResponseBytes);
        CompletionStage<TokenEndpointResponse> answer;
        try {
            answer = Objects.requireNonNull(transport.send(request), "the transport returned a null stage");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer.thenApply(reader::read);
    }

    private static byte[] encode(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(ClientAuthentication.formEncode(name)).append('=')
                    .append(ClientAuthentication.formEncode(value));
        });
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + uri + ", " + clientAuthentication + ']';
    }

    /**
     * Builds a {@link TokenEndpoint}. Not thread-safe.
     */
    public static final class Builder {

        private final URI uri;
        private ClientAuthentication clientAuthentication;
        private TokenEndpointTransport transport;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder(URI uri) {
            this.uri = checkedUri(uri);
        }

        private static URI checkedUri(URI uri) {
            Objects.requireNonNull(uri, "token endpoint URI must not be null");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException("token endpoint must be an absolute http(s) URI, was " + uri);
            }
            if (scheme.equals("http") && !io.github.tokenrefresh.Origin.of(uri).isLoopback()) {
                throw new IllegalArgumentException("token endpoint " + uri + " uses plain http; credentials travel "
                        + "only over https, or http to a loopback host");
            }
            if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("token endpoint must not carry user info or a fragment: " + uri);
            }
            return uri;
        }

        /**
         * Sets how the client authenticates. Required.
         *
         * @param clientAuthentication the client authentication
         * @return this builder
         */
        public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
            this.clientAuthentication = Objects.requireNonNull(clientAuthentication,
                    "clientAuthentication must not be null");
            return this;
        }

        /**
         * Sets the transport, such as the JDK or Apache HttpClient adapter's. Required.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(TokenEndpointTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
            return this;
        }

        /**
         * Sets the most body bytes an answer may have; a larger one is a protocol error.
         *
         * @param maxResponseBytes 1 KiB to 16 MiB
         * @return this builder
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 1024 || maxResponseBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException(
                        "maxResponseBytes must be within [1024, 16777216], was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Sets the clock that turns an HTTP-date {@code Retry-After} into a delay.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Builds the endpoint.
         *
         * @return the endpoint
         * @throws IllegalStateException if the client authentication or transport is missing
         */
        public TokenEndpoint build() {
            if (clientAuthentication == null) {
                throw new IllegalStateException("a TokenEndpoint needs a clientAuthentication");
            }
            if (transport == null) {
                throw new IllegalStateException("a TokenEndpoint needs a transport, such as "
                        + "JdkTokenEndpointTransport or ApacheTokenEndpointTransport from the adapter modules");
            }
            return new TokenEndpoint(this);
        }
    }
}
