package io.github.tokenrefresh.oauth2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.github.tokenrefresh.ReauthenticationRequiredException;
import io.github.tokenrefresh.Secret;
import io.github.tokenrefresh.TokenEndpointProtocolException;
import io.github.tokenrefresh.TokenEndpointUnavailableException;
import io.github.tokenrefresh.TokenRefreshException;
import io.github.tokenrefresh.TokenResponse;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Interprets a token endpoint's answer (RFC 6749 §5.1 and §5.2) with jackson-core's streaming parser. Messages name
 * what was wrong and never quote a value that could be a credential.
 */
final class TokenResponseReader {

    /** §5.2 errors after which repeating the same request cannot succeed. */
    private static final Set<String> TERMINAL_ERRORS = Set.of("invalid_grant", "invalid_client",
            "unauthorized_client", "invalid_scope", "unsupported_grant_type", "invalid_request");

    /** Errors some servers send for load or maintenance, meaning "later". */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("temporarily_unavailable", "server_error",
            "slow_down");

    /** Tokens for longer than this are taken for a server bug rather than a policy. */
    private static final long MAX_EXPIRES_IN_SECONDS = Duration.ofDays(3650).toSeconds();

    private final URI endpoint;
    private final int maxResponseBytes;
    private final Clock clock;
    private final JsonFactory json;

    TokenResponseReader(URI endpoint, int maxResponseBytes, Clock clock) {
        this.endpoint = endpoint;
        this.maxResponseBytes = maxResponseBytes;
        this.clock = clock;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(maxResponseBytes)
                        .maxNumberLength(32)
                        .build())
                .build();
    }

    TokenResponse read(TokenEndpointResponse response) {
        int status = response.status();
        if (response.bodyLength() > maxResponseBytes) {
            throw new TokenEndpointProtocolException(where() + " answered " + status + " with a body over the "
                    + maxResponseBytes + "-byte cap; the answer was not read further", status, null);
        }
        if (status >= 200 && status < 300) {
            return readSuccess(response);
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw unavailable(response, errorCodeOrNull(response));
        }
        if (status >= 400) {
            throw readError(response);
        }
        throw new TokenEndpointProtocolException(where() + " answered " + status + " instead of a token response"
                + (status >= 300 && status < 400 ? "; token endpoints must not redirect, check the URI" : ""),
                status, null);
    }

    private TokenResponse readSuccess(TokenEndpointResponse response) {
        Map<String, Object> fields = parseObject(response);

        Object accessToken = fields.get("access_token");
        if (!(accessToken instanceof String) || ((String) accessToken).isEmpty()) {
            throw protocol(response, accessToken == null ? "has no access_token" : "has an access_token that is "
                    + "not a non-empty string");
        }
        Object tokenType = fields.get("token_type");
        if (!(tokenType instanceof String)) {
            throw protocol(response, tokenType == null ? "has no token_type" : "has a token_type that is not a string");
        }
        if (!"bearer".equals(((String) tokenType).toLowerCase(Locale.ROOT))) {
            throw protocol(response, "has token_type '" + printable((String) tokenType) + "'; only Bearer tokens "
                    + "are supported");
        }

        TokenResponse.Builder builder = TokenResponse.builder(Secret.of((String) accessToken));
        if (fields.containsKey("expires_in")) {
            builder.expiresIn(Duration.ofSeconds(expiresIn(response, fields.get("expires_in"))));
        }
        Object refreshToken = fields.get("refresh_token");
        if (refreshToken != null && !(refreshToken instanceof String)) {
            throw protocol(response, "has a refresh_token that is not a string");
        }
        if (refreshToken != null && !((String) refreshToken).isEmpty()) {
            builder.refreshToken(Secret.of((String) refreshToken));
        }
        Object scope = fields.get("scope");
        if (scope != null && !(scope instanceof String)) {
            throw protocol(response, "has a scope that is not a string");
        }
        if (scope != null) {
            Set<String> scopes = new LinkedHashSet<>(Arrays.asList(((String) scope).trim().split("\\s+")));
            scopes.remove("");
            builder.scopes(scopes);
        }
        return builder.build();
    }

    private long expiresIn(TokenEndpointResponse response, Object value) {
        long seconds;
        if (value instanceof Long) {
            seconds = (Long) value;
        } else if (value instanceof Double) {
            double real = (Double) value;
            if (Double.isNaN(real) || Double.isInfinite(real)) {
                throw protocol(response, "has an expires_in that is not a finite number");
            }
            seconds = (long) real;
        } else if (value instanceof String) {
            try {
                seconds = Long.parseLong(((String) value).trim());
            } catch (NumberFormatException e) {
                throw protocol(response, "has expires_in '" + printable((String) value) + "', which is not a "
                        + "number of seconds");
            }
        } else {
            throw protocol(response, "has an expires_in that is not a number");
        }
        if (seconds <= 0) {
            throw protocol(response, "has expires_in " + seconds + "; a lifetime must be positive");
        }
        if (seconds > MAX_EXPIRES_IN_SECONDS) {
            throw protocol(response, "has expires_in " + seconds + ", over ten years; refusing an implausible "
                    + "lifetime");
        }
        return seconds;
    }

    private TokenRefreshException readError(TokenEndpointResponse response) {
        int status = response.status();
        Map<String, Object> fields;
        try {
            fields = parseObject(response);
        } catch (TokenEndpointProtocolException e) {
            return new TokenEndpointProtocolException(where() + " answered " + status + " without an OAuth2 error "
                    + "object (" + contentType(response) + ")", status, e);
        }
        Object error = fields.get("error");
        if (!(error instanceof String) || ((String) error).isEmpty()) {
            return protocol(response, "is an error answer without an error code");
        }
        String code = (String) error;
        if (TERMINAL_ERRORS.contains(code)) {
            return new ReauthenticationRequiredException(where() + " refused the grant with " + printable(code)
                    + " (HTTP " + status + ")" + advice(code), code, null);
        }
        if (TRANSIENT_ERRORS.contains(code)) {
            return unavailable(response, code);
        }
        return protocol(response, "is an error answer with the unknown code '" + printable(code) + "'");
    }

    private static String advice(String code) {
        switch (code) {
            case "invalid_grant":
                return ": the refresh token is expired, revoked or was already used; the user must sign in again";
            case "invalid_client":
            case "unauthorized_client":
                return ": check the client id, secret and authentication method";
            default:
                return ": check the grant's configuration";
        }
    }

    private TokenEndpointUnavailableException unavailable(TokenEndpointResponse response, String code) {
        int status = response.status();
        Duration retryAfter = retryAfter(response);
        return new TokenEndpointUnavailableException(where() + " is unavailable (HTTP " + status
                + (code == null ? "" : ", " + printable(code)) + ")"
                + (retryAfter == null ? "" : "; it asks to retry after " + retryAfter.toSeconds() + " s"),
                status, retryAfter, null);
    }

    private String errorCodeOrNull(TokenEndpointResponse response) {
        try {
            Object error = parseObject(response).get("error");
            return error instanceof String ? (String) error : null;
        } catch (TokenEndpointProtocolException e) {
            return null;
        }
    }

    private Duration retryAfter(TokenEndpointResponse response) {
        String value = response.header("Retry-After").map(String::trim).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_EXPIRES_IN_SECONDS));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration delay = Duration.between(clock.instant(), at.toInstant());
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * Parses a flat JSON object into its top-level string, number and boolean members; nested values are skipped.
     */
    private Map<String, Object> parseObject(TokenEndpointResponse response) {
        byte[] body = response.bodyUnsafe();
        if (body.length == 0) {
            throw protocol(response, "has an empty body");
        }
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw protocol(response, "is not a JSON object (" + contentType(response) + ")");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Object parsed = scalar(parser, value);
                if (parsed == null) {
                    parser.skipChildren();
                    continue;
                }
                if (fields.put(name, parsed) != null && (name.equals("access_token") || name.equals("error"))) {
                    throw protocol(response, "names " + name + " twice");
                }
            }
            if (parser.nextToken() != null) {
                throw protocol(response, "has content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            // Thrown without a location; its message names only the limit, but stays out like any other.
            throw protocol(response, "has a number, string or nesting that exceeds what the reader accepts ("
                    + contentType(response) + ")");
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the offending input, so it stays out of ours and out of the cause.
            JsonLocation at = e.getLocation();
            throw protocol(response, "is not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + " (" + contentType(response) + ")");
        } catch (IOException e) {
            throw protocol(response, "could not be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
        return fields;
    }

    private static Object scalar(JsonParser parser, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? Double.valueOf(parser.getDoubleValue())
                        : Long.valueOf(parser.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return parser.getBooleanValue();
            default:
                return null;
        }
    }

    private TokenEndpointProtocolException protocol(TokenEndpointResponse response, String problem) {
        return new TokenEndpointProtocolException(where() + " answered " + response.status() + " with a body that "
                + problem, response.status(), null);
    }

    private String where() {
        return "The token endpoint " + endpoint.getScheme() + "://" + endpoint.getRawAuthority()
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    private static String contentType(TokenEndpointResponse response) {
        List<String> types = response.headers().get("Content-Type");
        return "Content-Type " + (types == null || types.isEmpty() ? "absent" : printable(types.get(0)));
    }

    /** Short, single-line, printable: safe for a message whatever the server sent. */
    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        StringBuilder clean = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }
}
