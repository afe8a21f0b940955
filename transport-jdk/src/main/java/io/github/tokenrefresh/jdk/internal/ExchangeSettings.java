package io.github.tokenrefresh.jdk.internal;

import io.github.tokenrefresh.Origin;
import io.github.tokenrefresh.TokenRefreshConfig;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.util.List;

/**
 * What every exchange of one decorator shares: the delegate that sends each hop, the policy's configuration (which
 * origins get the token, how many replays), and the decorator's redirect policy. Immutable and thread-safe.
 */
public final class ExchangeSettings {

    private final HttpClient delegate;
    private final TokenRefreshConfig config;
    private final Redirect redirect;
    private final int maxRedirects;
    private final ProxySelector proxies;

    /**
     * Creates the settings.
     *
     * @param delegate the client that sends each hop; it follows no redirect itself
     * @param config the policy's configuration
     * @param redirect the decorator's redirect policy
     * @param maxRedirects how many redirects one exchange follows at most
     */
    public ExchangeSettings(HttpClient delegate, TokenRefreshConfig config, Redirect redirect, int maxRedirects) {
        this.delegate = delegate;
        this.config = config;
        this.redirect = redirect;
        this.maxRedirects = maxRedirects;
        // Like the JDK client, which uses the system's default selector when it was given none.
        this.proxies = delegate.proxy().orElseGet(ProxySelector::getDefault);
    }

    /**
     * Tells whether a request to {@code uri} may carry the token: the policy permits its origin and, for plain http
     * (which the policy permits only to loopback), the delegate sends it to no proxy off this host. Such a proxy
     * would read the token in the clear and pass it on to a loopback host of its own. An https request goes through
     * a proxy in a TLS tunnel, which the proxy cannot read.
     *
     * @param uri the URI of a hop
     * @return true if the hop may carry the token
     */
    public boolean permitsToken(URI uri) {
        return config.permitsToken(uri) && ("https".equalsIgnoreCase(uri.getScheme()) || !proxiedOffHost(uri));
    }

    HttpClient delegate() {
        return delegate;
    }

    TokenRefreshConfig config() {
        return config;
    }

    Redirect redirect() {
        return redirect;
    }

    /** Whether the hop after {@code redirects} followed redirects may follow one more. */
    boolean mayFollow(int redirects) {
        return redirect != Redirect.NEVER && redirects < maxRedirects;
    }

    /** Whether the delegate sends a request to {@code uri} through an HTTP proxy that is not on this host. */
    private boolean proxiedOffHost(URI uri) {
        if (proxies == null) {
            return false;
        }
        List<Proxy> selected;
        try {
            selected = proxies.select(uri);
        } catch (RuntimeException e) {
            // The delegate will fail the same way; no token for a route nobody can tell.
            return true;
        }
        // The JDK client takes the first proxy the selector names, and uses it only if it is an HTTP proxy.
        if (selected == null || selected.isEmpty() || selected.get(0).type() != Proxy.Type.HTTP) {
            return false;
        }
        SocketAddress address = selected.get(0).address();
        return !(address instanceof InetSocketAddress) || !isLoopback((InetSocketAddress) address);
    }

    /** Judges the proxy by the name it was given, as {@link Origin#isLoopback()} judges a host: nothing resolved. */
    private static boolean isLoopback(InetSocketAddress address) {
        try {
            return Origin.of(new URI("http", null, address.getHostString(), address.getPort(), null, null, null))
                    .isLoopback();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
    }
}
