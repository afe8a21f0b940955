package io.github.tokenrefresh.oauth2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A token endpoint's answer as a {@link TokenEndpointTransport} read it: status, headers and at most
 * {@code maxResponseBytes + 1} body bytes. Immutable and thread-safe; {@link #toString()} never shows the body.
 */
public final class TokenEndpointResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /**
     * Creates a response.
     *
     * @param status the HTTP status
     * @param headers the response headers; names are matched without regard to case
     * @param body the body bytes read, at most the request's cap plus one
     */
    public TokenEndpointResponse(int status, Map<String, List<String>> headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a three-digit HTTP status, was " + status);
        }
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Objects.requireNonNull(headers, "headers").forEach((name, values) -> {
            if (name != null && values != null) {
                copy.computeIfAbsent(name, key -> new java.util.ArrayList<>()).addAll(values);
            }
        });
        copy.replaceAll((name, values) -> List.copyOf(values));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /**
     * Reads at most {@code maxBytes + 1} bytes of {@code in}: enough to tell whether a body is over the cap without
     * reading an arbitrarily large one. Does not close the stream.
     *
     * @param in the body stream
     * @param maxBytes the cap
     * @return the bytes read
     * @throws IOException when reading fails
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public static byte[] readBounded(InputStream in, int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        int limit = maxBytes == Integer.MAX_VALUE ? maxBytes : maxBytes + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        while (total < limit) {
            int read = in.read(buffer, 0, Math.min(buffer.length, limit - total));
            if (read < 0) {
                break;
            }
            out.write(buffer, 0, read);
            total += read;
        }
        return out.toByteArray();
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns every header.
     *
     * @return an unmodifiable map, case-insensitive in its names
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Returns the body bytes read.
     *
     * @return a copy of the body
     */
    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public String toString() {
        return "TokenEndpointResponse[status=" + status + ", contentType=" + header("Content-Type").orElse(null)
                + ", body=" + body.length + " bytes (not shown)]";
    }
}
