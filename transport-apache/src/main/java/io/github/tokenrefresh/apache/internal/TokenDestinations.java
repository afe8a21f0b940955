package io.github.tokenrefresh.apache.internal;

import io.github.tokenrefresh.Origin;
import io.github.tokenrefresh.TokenRefreshConfig;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a request may carry the token, by {@link TokenRefreshConfig#permitsToken(URI)}.
 *
 * <p>The decision is taken for the host the connection goes to (the route's target) and, in the rare case that the
 * request names another authority, in its URI or in a {@code Host} header of the caller's, for that authority too:
 * all must be permitted, since a server may route by the name the request gives. A route through a proxy must also
 * keep the token from the proxy: either every proxy is on this host (judged by name, as a loopback origin is), or
 * the route tunnels TLS to the target through them; a proxy that forwards plain http would read the token, and its
 * "loopback" is another machine's. Decisions per target host are remembered, so the usual request costs one hash
 * lookup and no allocation. Thread-safe.
 */
public final class TokenDestinations {

    /** Enough for every API a service talks to; beyond it decisions are computed each time rather than kept. */
    private static final int MAX_REMEMBERED_HOSTS = 1024;

    private final TokenRefreshConfig config;
    private final ConcurrentHashMap<HttpHost, Boolean> decisions = new ConcurrentHashMap<>();

    /**
     * Creates the check for one policy's configuration.
     *
     * @param config the policy's configuration
     */
    public TokenDestinations(TokenRefreshConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Tells whether {@code request}, sent over {@code route}, may carry the token.
     *
     * @param request the request, with or without scheme and authority
     * @param route the route it is sent over
     * @return true if the token may be attached
     */
    public boolean permits(HttpRequest request, HttpRoute route) {
        HttpHost target = route.getTargetHost();
        if (!permits(target) || (route.getProxyHost() != null && !hidesTokenFromProxies(route))) {
            return false;
        }
        String scheme = request.getScheme() == null ? target.getSchemeName() : request.getScheme();
        URIAuthority authority = request.getAuthority();
        if (authority != null && !permits(scheme, authority, target)) {
            return false;
        }
        return !request.containsHeader(HttpHeaders.HOST) || permitsHostHeaders(request, scheme, target);
    }

    private boolean permits(HttpHost target) {
        Boolean remembered = decisions.get(target);
        if (remembered != null) {
            return remembered;
        }
        boolean permitted = config.permitsToken(uri(target.getSchemeName(), target.getHostName(), target.getPort()));
        if (decisions.size() < MAX_REMEMBERED_HOSTS) {
            decisions.put(target, permitted);
        }
        return permitted;
    }

    private boolean permits(String scheme, URIAuthority authority, HttpHost target) {
        return sameEndpoint(scheme, authority, target)
                || config.permitsToken(uri(scheme, authority.getHostName(), authority.getPort()));
    }

    private boolean permitsHostHeaders(HttpRequest request, String scheme, HttpHost target) {
        for (Header host : request.getHeaders(HttpHeaders.HOST)) {
            URIAuthority named;
            try {
                named = URIAuthority.create(host.getValue());
            } catch (URISyntaxException | RuntimeException e) {
                // A Host nobody can parse names no origin anybody allowed.
                return false;
            }
            if (!permits(scheme, named, target)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hidesTokenFromProxies(HttpRoute route) {
        if (route.isTunnelled() && route.isSecure()) {
            return true;
        }
        for (int hop = 0; hop < route.getHopCount() - 1; hop++) {
            if (!isLoopback(route.getHopTarget(hop))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(HttpHost proxy) {
        URI uri = uri("http", proxy.getHostName(), proxy.getPort());
        try {
            return uri != null && Origin.of(uri).isLoopback();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sameEndpoint(String scheme, URIAuthority authority, HttpHost target) {
        if (!scheme.equalsIgnoreCase(target.getSchemeName())
                || !authority.getHostName().equalsIgnoreCase(target.getHostName())) {
            return false;
        }
        return effectivePort(scheme, authority.getPort()) == effectivePort(scheme, target.getPort());
    }

    private static int effectivePort(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static URI uri(String scheme, String host, int port) {
        try {
            return new URI(scheme, null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            // A host no URI can hold is no origin anybody allowed.
            return null;
        }
    }
}
