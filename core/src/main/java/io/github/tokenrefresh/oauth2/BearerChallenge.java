package io.github.tokenrefresh.oauth2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code Bearer} challenge from a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 7235 §4.1), and the rule
 * that decides whether a resource server's answer rejected the token.
 *
 * <p>The parser accepts several challenges in one header value, any parameter order, quoted strings with escapes and
 * tokens, and recovers from malformed parts by skipping to the next comma; it never throws on server input.
 * Immutable and thread-safe.
 */
public final class BearerChallenge {

    /** The RFC 6750 error code for an expired, revoked or otherwise invalid token. */
    public static final String INVALID_TOKEN = "invalid_token";

    /** The RFC 6750 error code for a token without the scope a resource needs. */
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** Longer header values are cut before parsing; no real challenge comes close. */
    private static final int MAX_HEADER_LENGTH = 8192;

    private final Map<String, String> parameters;

    private BearerChallenge(Map<String, String> parameters) {
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * Parses the {@code Bearer} challenges of one {@code WWW-Authenticate} header value; challenges of other
     * schemes are skipped.
     *
     * @param headerValue the header value, may be null
     * @return the Bearer challenges, in order; empty if there are none or the value is garbage
     */
    public static List<BearerChallenge> parse(String headerValue) {
        List<BearerChallenge> bearer = new ArrayList<>();
        for (Challenge challenge : parseAll(headerValue)) {
            if ("bearer".equals(challenge.scheme)) {
                bearer.add(new BearerChallenge(challenge.parameters));
            }
        }
        return bearer;
    }

    /**
     * Tells whether an answer rejected the bearer token it was sent with, so a refresh and replay may help: status
     * 401 with a Bearer challenge whose error is {@value #INVALID_TOKEN} or absent, or status 401 with no challenge
     * at all. A 401 that challenges only for another scheme, a Bearer error such as {@code invalid_request}, and a
     * 403 {@value #INSUFFICIENT_SCOPE} are not rejections of the token.
     *
     * @param status the HTTP status
     * @param wwwAuthenticate every {@code WWW-Authenticate} header value of the answer
     * @return true if the token was rejected
     */
    public static boolean isTokenRejection(int status, Iterable<String> wwwAuthenticate) {
        if (status != 401) {
            return false;
        }
        boolean anyChallenge = false;
        if (wwwAuthenticate != null) {
            for (String value : wwwAuthenticate) {
                for (Challenge challenge : parseAll(value)) {
                    anyChallenge = true;
                    if ("bearer".equals(challenge.scheme)) {
                        String error = challenge.parameters.get("error");
                        if (error == null || INVALID_TOKEN.equals(error)) {
                            return true;
                        }
                    }
                }
            }
        }
        return !anyChallenge;
    }

    /**
     * Tells whether an answer says the token lacks a scope: status 403 with a Bearer
     * {@value #INSUFFICIENT_SCOPE} error. A refresh does not help here.
     *
     * @param status the HTTP status
     * @param wwwAuthenticate every {@code WWW-Authenticate} header value of the answer
     * @return true for an insufficient-scope answer
     */
    public static boolean isInsufficientScope(int status, Iterable<String> wwwAuthenticate) {
        if (status != 403 || wwwAuthenticate == null) {
            return false;
        }
        for (String value : wwwAuthenticate) {
            for (BearerChallenge challenge : parse(value)) {
                if (challenge.error().filter(INSUFFICIENT_SCOPE::equals).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns the {@code error} parameter.
     *
     * @return the error code, or empty
     */
    public Optional<String> error() {
        return parameter("error");
    }

    /**
     * Returns the {@code error_description} parameter.
     *
     * @return the description, or empty
     */
    public Optional<String> errorDescription() {
        return parameter("error_description");
    }

    /**
     * Returns the {@code realm} parameter.
     *
     * @return the realm, or empty
     */
    public Optional<String> realm() {
        return parameter("realm");
    }

    /**
     * Returns the {@code scope} parameter: the scopes the resource needs.
     *
     * @return the space-separated scopes, or empty
     */
    public Optional<String> scope() {
        return parameter("scope");
    }

    /**
     * Returns any parameter.
     *
     * @param name the parameter name, any case
     * @return the value, or empty
     */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns every parameter, with lower-case names.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "BearerChallenge" + parameters;
    }

    // -----------------------------------------------------------------------------------------------------------
    // RFC 7235 challenge grammar, tolerant of garbage.

    private static final class Challenge {
        final String scheme;
        final Map<String, String> parameters = new LinkedHashMap<>();

        Challenge(String scheme) {
            this.scheme = scheme;
        }
    }

    private static List<Challenge> parseAll(String headerValue) {
        List<Challenge> challenges = new ArrayList<>();
        if (headerValue == null) {
            return challenges;
        }
        Cursor in = new Cursor(headerValue.length() > MAX_HEADER_LENGTH
                ? headerValue.substring(0, MAX_HEADER_LENGTH)
                : headerValue);
        Challenge current = null;
        while (in.skipSeparators()) {
            int start = in.position;
            String name = in.token();
            if (name == null) {
                in.skipPast(',');
                continue;
            }
            in.skipSpaces();
            if (in.peek() == '=' && current != null && !in.isToken68Tail()) {
                in.position++;
                in.skipSpaces();
                String value = in.peek() == '"' ? in.quotedString() : in.token();
                if (value == null) {
                    in.skipPast(',');
                    continue;
                }
                current.parameters.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                continue;
            }
            in.position = start;
            current = new Challenge(in.token().toLowerCase(Locale.ROOT));
            challenges.add(current);
            in.skipSpaces();
            in.token68IfAny();
        }
        return challenges;
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        /** Skips spaces and commas; returns false at the end. */
        boolean skipSeparators() {
            while (position < text.length() && (text.charAt(position) == ',' || isSpace(text.charAt(position)))) {
                position++;
            }
            return position < text.length();
        }

        void skipSpaces() {
            while (position < text.length() && isSpace(text.charAt(position))) {
                position++;
            }
        }

        void skipPast(char c) {
            int next = text.indexOf(c, position);
            position = next < 0 ? text.length() : next + 1;
        }

        String token() {
            int start = position;
            while (position < text.length() && isTokenChar(text.charAt(position))) {
                position++;
            }
            return position > start ? text.substring(start, position) : null;
        }

        /** After a name, '=' followed by '=', ',' or the end belongs to a token68 such as "abc==". */
        boolean isToken68Tail() {
            int next = position + 1;
            return next >= text.length() || text.charAt(next) == '=' || text.charAt(next) == ',';
        }

        /** Consumes a token68 (RFC 7235: letters, digits, "-._~+/", then trailing "=") right after a scheme. */
        void token68IfAny() {
            int start = position;
            while (position < text.length() && isToken68Char(text.charAt(position))) {
                position++;
            }
            if (position == start) {
                return;
            }
            while (position < text.length() && text.charAt(position) == '=') {
                position++;
            }
            skipSpaces();
            if (position < text.length() && text.charAt(position) != ',') {
                // Not a token68 after all: it was the first auth-param's name; let the caller read it.
                position = start;
            }
        }

        private static boolean isToken68Char(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+/".indexOf(c) >= 0;
        }

        String quotedString() {
            StringBuilder value = new StringBuilder();
            position++;
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            return null;
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t';
        }

        private static boolean isTokenChar(char c) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                return true;
            }
            return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
