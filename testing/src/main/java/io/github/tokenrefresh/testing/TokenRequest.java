package io.github.tokenrefresh.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request that reached the token endpoint of a {@link LoopbackTokenServer}, recorded when it
 * arrived and before any scripted fault or gate applied to it, so a test can assert what a client
 * sent even when the answer was a failure.
 *
 * <p>No secret is kept: form fields are recorded by name only, and the {@code Authorization} header
 * value is replaced by {@link #REDACTED}. The refresh token a request presented is identified by
 * its family and generation instead of its value.
 *
 * <p>Thread-safety: immutable.
 *
 * @param receivedAt when the request arrived, on the server's clock
 * @param method the HTTP method
 * @param grantType the {@code grant_type} form field, or null if absent
 * @param clientAuthMethod how the client authenticated
 * @param clientId the client id presented in the Basic header or the form, or null if none
 * @param formFieldNames the names of the form fields, in the order sent
 * @param headers the request headers, names in lower case, {@code authorization} values redacted
 * @param scope the {@code scope} form field, or null if absent
 * @param familyId the family of the presented refresh token, or null if none was presented or the
 *        server did not know it
 * @param refreshTokenGeneration which refresh token of its family was presented: 0 for the one
 *        issued with the family, 1 for the first rotated one, and so on; {@link #NO_GENERATION} when
 *        {@code familyId} is null
 */
public record TokenRequest(Instant receivedAt, String method, String grantType,
        ClientAuthMethod clientAuthMethod, String clientId, List<String> formFieldNames,
        Map<String, List<String>> headers, String scope, String familyId, int refreshTokenGeneration) {

    /** The {@link #refreshTokenGeneration()} of a request that presented no known refresh token. */
    public static final int NO_GENERATION = -1;

    /** What stands in for a recorded {@code Authorization} header value. */
    public static final String REDACTED = "<redacted>";

    /**
     * Checks the components and copies the collections.
     *
     * @throws NullPointerException if {@code receivedAt}, {@code method}, {@code clientAuthMethod},
     *         {@code formFieldNames} or {@code headers} is null
     */
    public TokenRequest {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(clientAuthMethod, "clientAuthMethod");
        formFieldNames = List.copyOf(formFieldNames);
        headers = copyOf(headers);
    }

    /**
     * Returns the first value of a request header.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param name the header name, in any case
     * @return the first value, {@link #REDACTED} for {@code Authorization}, or null if absent
     * @throws NullPointerException if {@code name} is null
     */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Tells whether the request carried a form field, whatever its value.
     *
     * <p>Thread-safety: safe from any thread.
     *
     * @param name the exact field name, such as {@code client_secret}
     * @return true if the field was sent
     */
    public boolean hasFormField(String name) {
        return formFieldNames.contains(name);
    }

    private static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new HashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Map.copyOf(copy);
    }
}
