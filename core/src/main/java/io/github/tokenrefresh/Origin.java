package io.github.tokenrefresh;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP origin (RFC 6454): scheme, host and port. The policy attaches its token only to requests whose origin is
 * in {@link TokenRefreshConfig#getAllowedOrigins()}.
 *
 * <p>Scheme and host are kept in lower case and a missing port is replaced by the scheme's default, so
 * {@code https://API.example.com} and {@code https://api.example.com:443} are the same origin.
 * Instances are immutable and thread-safe.
 */
public final class Origin {

    private final String scheme;
    private final String host;
    private final int port;

    private Origin(String scheme, String host, int port) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
    }

    /**
     * Parses an origin such as {@code https://api.example.com} or {@code http://127.0.0.1:8080}.
     *
     * @param origin the origin; a path, query or fragment is refused
     * @return the origin
     * @throws IllegalArgumentException if the text is not an http or https origin
     */
    public static Origin parse(String origin) {
        Objects.requireNonNull(origin, "origin must not be null");
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("origin '" + origin + "' is not a valid URI", e);
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !"/".equals(path)) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "origin '" + origin + "' must be scheme://host[:port] only, without path, query or user info");
        }
        return of(uri);
    }

    /**
     * Returns the origin of a request URI.
     *
     * @param uri an absolute http or https URI
     * @return its origin
     * @throws IllegalArgumentException if the URI is not absolute http or https, or has no host
     */
    public static Origin of(URI uri) {
        Objects.requireNonNull(uri, "uri must not be null");
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("origin must use http or https, was '" + uri.getScheme() + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("origin must name a host: '" + uri + "'");
        }
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), effectivePort(scheme, uri.getPort()));
    }

    /**
     * Tells whether a request URI belongs to this origin, without allocating.
     *
     * @param uri the request URI, may be null
     * @return true if scheme, host and port match
     */
    public boolean matches(URI uri) {
        if (uri == null) {
            return false;
        }
        String otherScheme = uri.getScheme();
        String otherHost = uri.getHost();
        return otherScheme != null && otherHost != null
                && scheme.equalsIgnoreCase(otherScheme)
                && host.equalsIgnoreCase(otherHost)
                && port == effectivePort(scheme, uri.getPort());
    }

    /**
     * Tells whether the host is a loopback address: {@code localhost}, an address in {@code 127.0.0.0/8}, or
     * {@code ::1}. No name is resolved.
     *
     * @return true for loopback hosts
     */
    public boolean isLoopback() {
        return isLoopbackHost(host);
    }

    /**
     * Tells whether the token may travel to this origin unencrypted: true for https, and for http to loopback.
     *
     * @return true if a bearer token may be sent here
     */
    public boolean isSecureOrLoopback() {
        return "https".equals(scheme) || isLoopback();
    }

    /**
     * Returns the scheme, {@code http} or {@code https}.
     *
     * @return the scheme in lower case
     */
    public String scheme() {
        return scheme;
    }

    /**
     * Returns the host in lower case; an IPv6 literal keeps its brackets.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * Returns the port, with the scheme's default filled in.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if ("localhost".equals(h) || "[::1]".equals(h) || "::1".equals(h)) {
            return true;
        }
        if (!h.startsWith("127.")) {
            return false;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int effectivePort(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Origin)) {
            return false;
        }
        Origin that = (Origin) other;
        return port == that.port && scheme.equals(that.scheme) && host.equals(that.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ':' + port;
    }
}
