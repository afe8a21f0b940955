package io.github.tokenrefresh.oauth2;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A form POST to a token endpoint, ready for a {@link TokenEndpointTransport}.
 *
 * <p>The body and the {@code Authorization} header hold credentials; {@link #toString()} shows neither.
 * Immutable and thread-safe.
 */
public final class TokenEndpointRequest {

    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;
    private final int maxResponseBytes;

    /**
     * Creates a request.
     *
     * @param uri the token endpoint
     * @param headers the headers to send, in order
     * @param body the form body, {@code application/x-www-form-urlencoded}
     * @param timeout how long the whole exchange may take
     * @param maxResponseBytes the most body bytes the answer may have
     */
    public TokenEndpointRequest(URI uri, Map<String, String> headers, byte[] body, Duration timeout,
            int maxResponseBytes) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        this.body = Objects.requireNonNull(body, "body").clone();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, was " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Returns the HTTP method.
     *
     * @return {@code POST}
     */
    public String method() {
        return "POST";
    }

    /**
     * Returns the token endpoint.
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the headers to send.
     *
     * @return an unmodifiable, ordered map from header name to value
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the form body.
     *
     * @return a copy of the body bytes
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * Returns how long the exchange may take.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns the most body bytes the answer may have; a transport reads one more to detect an oversized body.
     *
     * @return the cap
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    @Override
    public String toString() {
        return "TokenEndpointRequest[POST " + uri + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes (redacted), timeout=" + timeout + ']';
    }
}
