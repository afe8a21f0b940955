package io.github.tokenrefresh.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One request a {@link LoopbackResourceServer} received, with the status it answered.
 *
 * <p>It keeps everything a test may assert on, including the {@code Authorization} header and the
 * bearer token, so a test can prove a token did or did not arrive. {@link #toString()} prints
 * neither: header values are left out, the body is given by size.
 *
 * <p>Thread-safety: immutable.
 */
public final class RecordedRequest {

    /** The {@link #status()} of a request that a custom route left unanswered. */
    public static final int NO_STATUS = -1;

    private final Instant receivedAt;
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String bearerToken;
    private final int status;

    RecordedRequest(Instant receivedAt, String method, String path, String query,
            Map<String, List<String>> headers, byte[] body, String bearerToken, int status) {
        this.receivedAt = receivedAt;
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = lowerCaseCopy(headers);
        this.body = body.clone();
        this.bearerToken = bearerToken;
        this.status = status;
    }

    /**
     * Returns when the request arrived, on the clock of the token server behind the resource
     * server, or the system clock if there is none.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the arrival instant
     */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * Returns the HTTP method.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return such as {@code GET}
     */
    public String method() {
        return method;
    }

    /**
     * Returns the decoded request path.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return such as {@code /orders/7}
     */
    public String path() {
        return path;
    }

    /**
     * Returns the raw query string.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the query without {@code ?}, or null if the request had none
     */
    public String query() {
        return query;
    }

    /**
     * Returns all request headers, names in lower case, values as received.
     *
     * <p>Thread-safety: the map is immutable.
     *
     * @return the headers
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * Returns the first value of a header.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param name the header name, in any case
     * @return the first value, or null if the header was absent
     * @throws NullPointerException if {@code name} is null
     */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Tells whether the request carried an {@code Authorization} header of any scheme.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return true if the header was present
     */
    public boolean hasAuthorization() {
        return headers.containsKey("authorization");
    }

    /**
     * Returns the bearer token the request presented.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the token after {@code Bearer }, or null if the request had no bearer credentials
     */
    public String bearerToken() {
        return bearerToken;
    }

    /**
     * Returns the request body, read in full.
     *
     * <p>Thread-safety: returns a fresh copy.
     *
     * @return the body bytes, empty if there was none
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * Returns the request body decoded as UTF-8.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the body text
     */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Returns the status the server answered with.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return the HTTP status, or {@link #NO_STATUS} if a custom route sent none
     */
    public int status() {
        return status;
    }

    /**
     * Describes the request without header values or body content, so no credential is printed.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @return method, path, query, status, header names and body size
     */
    @Override
    public String toString() {
        return "RecordedRequest[" + method + " " + path + (query == null ? "" : "?" + query)
                + ", status=" + status + ", headers=" + new TreeSet<>(headers.keySet())
                + ", bearerToken=" + (bearerToken == null ? "none" : "<redacted>")
                + ", bodyBytes=" + body.length + "]";
    }

    private static Map<String, List<String>> lowerCaseCopy(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new HashMap<>();
        headers.forEach((name, values) -> copy.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (first, second) -> {
                    List<String> both = new ArrayList<>(first);
                    both.addAll(second);
                    return List.copyOf(both);
                }));
        return Map.copyOf(copy);
    }
}
