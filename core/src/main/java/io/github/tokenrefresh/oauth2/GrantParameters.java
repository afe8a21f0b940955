package io.github.tokenrefresh.oauth2;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The optional parts of a token request the grants share: scopes and extra parameters such as {@code audience} or
 * {@code resource} (RFC 8707). Used by the grant builders; not thread-safe.
 */
final class GrantParameters {

    private static final Set<String> RESERVED = Set.of("grant_type", "refresh_token", "client_id",
            "client_secret", "scope", "code", "code_verifier", "redirect_uri");

    private final Set<String> scopes = new LinkedHashSet<>();
    private final Map<String, String> extra = new LinkedHashMap<>();

    void scopes(Collection<String> requested) {
        Objects.requireNonNull(requested, "scopes must not be null");
        for (String scope : requested) {
            if (scope == null || scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("scopes must be non-blank and contain no whitespace, was '"
                        + scope + "'");
            }
        }
        scopes.clear();
        scopes.addAll(requested);
    }

    void parameter(String name, String value) {
        Objects.requireNonNull(name, "parameter name must not be null");
        Objects.requireNonNull(value, "parameter value must not be null");
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is set by the grant itself");
        }
        extra.put(name, value);
    }

    Map<String, String> form(String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        return form;
    }

    void addTo(Map<String, String> form) {
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        form.putAll(extra);
    }

    Set<String> scopes() {
        return Set.copyOf(scopes);
    }

    GrantParameters copy() {
        GrantParameters copy = new GrantParameters();
        copy.scopes.addAll(scopes);
        copy.extra.putAll(extra);
        return copy;
    }
}
